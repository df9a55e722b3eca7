import { useEffect, useState } from 'react';
import { ProCard } from '@ant-design/pro-components';
import { Space, Tag, Typography } from 'antd';
import { report } from './api';
import { navigate } from './router';
import { interval, lift, pct } from './labels';

import type { PrecisionReport, QuarterPrecision } from '../../../shared/precision';

export type { PrecisionReport, QuarterPrecision, Rate } from '../../../shared/precision';

/** The latest quarter that has both listed and random inspections (else the latest there is). */
export function latestQuarter(r: PrecisionReport | null): QuarterPrecision | null {
  if (!r || r.quarters.length === 0) return null;
  const both = r.quarters.filter((q) => q.listed.inspections > 0 && q.random.inspections > 0);
  return (both.length ? both : r.quarters).at(-1)!;
}

export const verdictTag = (q: QuarterPrecision) =>
  q.clear ? <Tag color="green">显著</Tag> : <Tag>尚不显著</Tag>;

export const HOW_TO_READ =
  '怎么看：提升倍数 = 清单内单位检查发现隐患的比例 ÷ 双随机抽查发现隐患的比例，例如 5 倍表示按清单检查找到隐患单位的机会是随机抽查的 5 倍。括号内为 95% 置信区间（Wilson 区间）：只有清单的区间整体高于双随机的区间（标“显著”）时，差异才不大可能是偶然；检查次数少的季度区间很宽，说明不了多少。';

/** 清单命中率 beside the risk list: the latest quarter's lift and intervals, linking to the whole table. */
export function PrecisionCard() {
  const [r, setR] = useState<PrecisionReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    report<PrecisionReport>('/api/v1/risk-lists/precision').then(setR, (e) => setError(e.message));
  }, []);
  const q = latestQuarter(r);
  return (
    <div data-testid="precision-card">
    <ProCard size="small" bordered style={{ marginBottom: 16 }}>
      {error ? (
        <Typography.Text type="secondary">清单命中率暂不可用：{error}</Typography.Text>
      ) : !r ? (
        <Typography.Text type="secondary">清单命中率计算中…</Typography.Text>
      ) : !q ? (
        <Typography.Text type="secondary">清单命中率：尚无检查结果（清单检查与双随机抽查的结果报送后即可计算）。</Typography.Text>
      ) : (
        <Space wrap size="middle">
          <Typography.Text strong>清单命中率（{q.quarter}）</Typography.Text>
          <span data-testid="precision-card-listed">
            清单内单位 {pct(q.listed.rate)}（{interval(q.listed)}，{q.listed.hazardsFound}/{q.listed.inspections} 次）
          </span>
          <span data-testid="precision-card-random">
            双随机 {pct(q.random.rate)}（{interval(q.random)}，{q.random.hazardsFound}/{q.random.inspections} 次）
          </span>
          <span data-testid="precision-card-lift">
            提升 <Typography.Text strong>{lift(q.lift)}</Typography.Text>
          </span>
          {verdictTag(q)}
          <a onClick={() => navigate('/inspections/precision')} data-testid="precision-card-link">
            各季度命中率 →
          </a>
        </Space>
      )}
    </ProCard>
    </div>
  );
}
