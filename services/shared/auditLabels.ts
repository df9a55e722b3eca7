/** The audit log's actions and their Chinese names: no imports, so the console's bundle can take them too. */
export type AuditAction =
  | 'PUBLISH' // 报送: a batch of records taken by the gateway
  | 'READ_RISK_LIST' // 查阅风险清单
  | 'READ_EMPLOYER' // 查阅单位档案
  | 'READ_DOCUMENT' // 查阅文书 (整改建议书, 通报)
  | 'READ_AUDIT' // 查阅审计日志
  | 'TOKEN_ISSUE' // 签发令牌
  | 'TOKEN_REVOKE'; // 停用令牌

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  PUBLISH: '报送数据',
  READ_RISK_LIST: '查阅风险清单',
  READ_EMPLOYER: '查阅单位档案',
  READ_DOCUMENT: '查阅文书',
  READ_AUDIT: '查阅审计日志',
  TOKEN_ISSUE: '签发令牌',
  TOKEN_REVOKE: '停用令牌',
};
