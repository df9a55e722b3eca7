#!/usr/bin/env bash
# 恢复到新数据库 · Restore a dump of backup.sh into a NEW database on the same server.
#
#   deploy/postgres/restore.sh <dump file> <new database name>
#
# Never restores over an existing database: the target must not exist. Check the restored
# database (row counts are printed), then point DATABASE_URL at it, or rename databases while
# the services are stopped:  ALTER DATABASE whp RENAME TO whp_old; ALTER DATABASE <new> RENAME TO whp;
#
# Environment: DATABASE_URL (a database on the server to restore to; its name is replaced by the
# new one), DATABASE_SSL, DATABASE_SSL_CA_FILE as for backup.sh.
set -euo pipefail

die() { printf '[restore] 错误 / error: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "用法: restore.sh <备份文件> <新数据库名>"
dump=$1
target=$2
url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/whp}
[ -f "$dump" ] && [ -r "$dump" ] || die "备份文件不存在或不可读：$dump"
[[ $target =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "新数据库名只能包含小写字母、数字和 _（最长 63 个字符），实际为 \"$target\""
case "${DATABASE_SSL:-}" in
  '') ;;
  disable | require | verify-full) export PGSSLMODE=$DATABASE_SSL ;;
  *) die "DATABASE_SSL 应为 disable|require|verify-full，实际为 \"$DATABASE_SSL\"" ;;
esac
if [ -n "${DATABASE_SSL_CA_FILE:-}" ]; then export PGSSLROOTCERT=$DATABASE_SSL_CA_FILE; fi
pg_restore --list "$dump" >/dev/null 2>&1 || die "不是 pg_dump 自定义格式的备份文件：$dump"

# The same server and parameters, another database: replace the path of the URL.
base=${url%%\?*}
query=${url:${#base}}
target_url="${base%/*}/$target$query"

exists=$(psql --dbname="$url" -tAc "select 1 from pg_database where datname = '$target'")
[ -z "$exists" ] || die "数据库 $target 已存在：恢复只写入新数据库，不覆盖已有数据"
psql --dbname="$url" -q -c "create database \"$target\"" || die "无法创建数据库 $target"

started=$(date +%s)
if ! pg_restore --dbname="$target_url" --no-owner --no-acl --exit-on-error "$dump"; then
  die "恢复失败；未完成的数据库 $target 已保留以便检查（确认后可删除：drop database \"$target\"）"
fi
printf '[restore] 已恢复到数据库 %s (%ss)。各表行数：\n' "$target" "$(($(date +%s) - started))" >&2
psql --dbname="$target_url" -tA -F ' ' -c "
  select c.relname, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and n.nspname = 'public' order by 1" >&2
