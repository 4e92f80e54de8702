/*
 * Labels of the API's enum values in English and Chinese: the taxonomy (TAXONOMY.md), stages, channels, decision
 * sources, timeline speakers and actions. The English table also lists the values the filters offer.
 */
export const ENUM_LABELS = {
  en: {
    stage: {
      intake: 'Intake', registered: 'Registered', triaged: 'Triaged', investigating: 'Investigating',
      resolution_proposed: 'Resolution proposed', responded: 'Responded', closed: 'Closed', reopened: 'Reopened', escalated: 'Escalated',
    },
    urgency: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
    product: {
      cards: 'Cards', deposit_accounts: 'Deposit accounts', loans: 'Loans', mortgages: 'Mortgages', payments_transfers: 'Payments & transfers',
      digital_banking: 'Digital banking', debt_collection: 'Debt collection', credit_reporting: 'Credit reporting', wealth_insurance: 'Wealth & insurance', other: 'Other',
    },
    issue: {
      unauthorized_fraud: 'Unauthorised / fraud', fees_interest: 'Fees & interest', transaction_problem: 'Transaction problem', account_access: 'Account access',
      account_management: 'Account management', loan_servicing: 'Loan servicing', collection_conduct: 'Collection conduct', credit_report_error: 'Credit report error',
      service_conduct: 'Service & conduct', misleading_sales: 'Misleading sales', privacy_data: 'Privacy & data', other: 'Other',
    },
    flag: {
      self_harm: 'Self-harm risk', fraud: 'Fraud', funds_inaccessible: 'Funds inaccessible', vulnerable_customer: 'Vulnerable customer',
      regulator_referred: 'Regulator referred', regulator_threat: 'Regulator threat', media_threat: 'Media threat', legal_threat: 'Legal threat',
      repeat_complaint: 'Repeat complaint', large_amount: 'Large amount', staff_misconduct: 'Staff misconduct',
    },
    channel: {
      webchat: 'Web chat', botframework: 'Teams / Bot Framework', telegram: 'Telegram', whatsapp: 'WhatsApp', messenger: 'Messenger', wechat: 'WeChat',
      sms_twilio: 'SMS (Twilio)', sms_vonage: 'SMS (Vonage)', hotline: 'Hotline call', api: 'Bank app', branch: 'Branch', letter: 'Letter', email: 'E-mail', phone: 'Phone',
    },
    kind: { complaint: 'Complaint', inquiry: 'Inquiry', compliment: 'Compliment', other: 'Other' },
    sentiment: { negative: 'Negative', neutral: 'Neutral', positive: 'Positive' },
    source: { rule: 'Rule', model: 'Local model', llm: 'LLM', channel: 'Given by the channel', staff: 'Staff', default: 'Default' },
    language: { en: 'English', zh: 'Chinese', und: 'Undetermined' },
    regime: {
      cn_nfra: 'China NFRA', uk_fca: 'UK FCA', uk_fca_psd: 'UK FCA (payment services)', eu_psd2: 'EU PSD2', us_cfpb: 'US CFPB', hk_hkma: 'Hong Kong HKMA', au_asic: 'Australia ASIC',
    },
    deadlineStatus: { open: 'Open', met: 'Met', breached: 'Breached', paused: 'Paused' },
    entry: { customer: 'Customer', bot: 'Bot', agent: 'Agent', note: 'Internal note', system: 'System' },
    speaker: { customer: 'Customer', agent: 'Agent', ivr: 'IVR', unknown: 'Speaker' },
    action: {
      triage: 'Triage', assign: 'Assign', start_investigation: 'Start investigation', add_note: 'Add a note', reply: 'Reply to the customer',
      request_information: 'Ask for information', propose_resolution: 'Propose a resolution', approve_resolution: 'Approve the resolution',
      reject_resolution: 'Reject the resolution', send_final_response: 'Send the final response', close: 'Close', reopen: 'Reopen', escalate: 'Escalate',
      extend_deadline: 'Extend a deadline', pause_clock: 'Pause the clock', resume_clock: 'Resume the clock',
      record_acknowledgement: 'Record the acknowledgement',
    },
    pauseReason: { awaiting_customer_information: 'Awaiting the customer’s information', external_appraisal: 'External appraisal' },
    ackMethod: { in_person: 'In person', phone: 'By phone', letter: 'By letter', email: 'By e-mail', other: 'Another way' },
    extension: {
      complex: 'Complex case', senior_approval: 'Especially complex, senior approval', holding_reply: 'Holding reply',
      in_progress: '“In progress”', interim_reply: 'Interim reply',
    },
    role: { agent: 'Agent', supervisor: 'Supervisor', admin: 'Admin' },
    assistedChannel: { branch: 'Branch counter', letter: 'Letter', email: 'E-mail', phone: 'Phone call (not transcribed)' },
  },
  zh: {
    stage: {
      intake: '受理中', registered: '已登记', triaged: '已分派', investigating: '调查核实', resolution_proposed: '方案待定',
      responded: '已答复', closed: '已办结', reopened: '重新处理', escalated: '已升级',
    },
    urgency: { low: '低', medium: '中', high: '高', critical: '紧急' },
    product: {
      cards: '银行卡', deposit_accounts: '存款账户', loans: '贷款', mortgages: '房贷', payments_transfers: '支付转账', digital_banking: '电子银行',
      debt_collection: '催收', credit_reporting: '征信', wealth_insurance: '理财保险', other: '其他',
    },
    issue: {
      unauthorized_fraud: '盗刷/欺诈', fees_interest: '收费与利息', transaction_problem: '交易问题', account_access: '账户无法使用', account_management: '账户管理',
      loan_servicing: '贷款服务', collection_conduct: '催收行为', credit_report_error: '征信错误', service_conduct: '服务态度', misleading_sales: '误导销售',
      privacy_data: '隐私与数据', other: '其他',
    },
    flag: {
      self_harm: '自伤风险', fraud: '欺诈', funds_inaccessible: '资金无法使用', vulnerable_customer: '弱势客户', regulator_referred: '监管转办',
      regulator_threat: '扬言投诉监管', media_threat: '扬言曝光', legal_threat: '扬言诉讼', repeat_complaint: '重复投诉', large_amount: '大额', staff_misconduct: '员工违规',
    },
    channel: {
      webchat: '网页在线', botframework: 'Teams / Bot Framework', telegram: 'Telegram', whatsapp: 'WhatsApp', messenger: 'Messenger', wechat: '微信',
      sms_twilio: '短信 (Twilio)', sms_vonage: '短信 (Vonage)', hotline: '热线电话', api: '手机银行', branch: '网点', letter: '信函', email: '电子邮件', phone: '电话',
    },
    kind: { complaint: '投诉', inquiry: '咨询', compliment: '表扬', other: '其他' },
    sentiment: { negative: '负面', neutral: '中性', positive: '正面' },
    source: { rule: '规则', model: '本地模型', llm: '大模型', channel: '渠道提供', staff: '人工', default: '默认' },
    language: { en: '英文', zh: '中文', und: '未识别' },
    regime: {
      cn_nfra: '国家金融监督管理总局', uk_fca: '英国 FCA', uk_fca_psd: '英国 FCA（支付服务）', eu_psd2: '欧盟 PSD2', us_cfpb: '美国 CFPB', hk_hkma: '香港金管局', au_asic: '澳大利亚 ASIC',
    },
    deadlineStatus: { open: '计时中', met: '已按时', breached: '已超时', paused: '已暂停' },
    entry: { customer: '客户', bot: '机器人', agent: '坐席', note: '内部备注', system: '系统' },
    speaker: { customer: '客户', agent: '坐席', ivr: '语音导航', unknown: '发言人' },
    action: {
      triage: '分派', assign: '指派', start_investigation: '开始调查', add_note: '添加备注', reply: '回复客户', request_information: '请客户补充信息',
      propose_resolution: '提出处理方案', approve_resolution: '批准方案', reject_resolution: '驳回方案', send_final_response: '发送最终答复', close: '办结',
      reopen: '重新处理', escalate: '升级', extend_deadline: '延长时限', pause_clock: '暂停计时', resume_clock: '恢复计时',
      record_acknowledgement: '登记已告知受理',
    },
    pauseReason: { awaiting_customer_information: '等待客户补充信息', external_appraisal: '外部鉴定' },
    ackMethod: { in_person: '当面告知', phone: '电话告知', letter: '信函告知', email: '电子邮件告知', other: '其他方式' },
    extension: {
      complex: '情况复杂', senior_approval: '特别复杂，经上级审批', holding_reply: '过渡答复',
      in_progress: '“处理中”', interim_reply: '中期答复',
    },
    role: { agent: '坐席', supervisor: '主管', admin: '管理员' },
    assistedChannel: { branch: '网点柜台', letter: '信函', email: '电子邮件', phone: '电话（无录音转写）' },
  },
};

/** A short symbol per channel, shown beside its (accessible) name. */
export const CHANNEL_ICONS = {
  webchat: '💬', botframework: '🤖', telegram: '✈', whatsapp: '🟢', messenger: '🗨', wechat: '💚', sms_twilio: '✉', sms_vonage: '✉',
  hotline: '☎', api: '📱', branch: '🏦', letter: '📨', email: '📧', phone: '📞',
};
