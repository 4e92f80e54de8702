/**
 * Keyword data for `product` and `issue` (DOMAIN.md §2 vocabulary, EN and ZH). Each entry votes with a weight;
 * product-rules.ts sums the votes. Specific words (信用卡, mortgage, 征信) weigh more than generic ones (卡, app).
 */
import type { Issue, Product } from '../contracts/index.js';

export interface VoteEntry<Value extends string> {
  readonly id: string;
  readonly value: Value;
  readonly weight: number;
  readonly en?: readonly RegExp[];
  readonly zh?: readonly string[];
}

export const PRODUCT_ENTRIES: readonly VoteEntry<Product>[] = [
  { id: 'product_cards_named', value: 'cards', weight: 3, en: [/\b(?:credit|debit|prepaid|replacement|new|store|charge|atm) cards?\b/, /\b(?:visa|mastercard|amex|chargeback|contactless|annual fee|credit limit)\b/],
    zh: ['信用卡', '借记卡', '社保卡', '新卡', '补卡', '年费', '刷卡', '吞卡', '食咗我张卡', '激活'] },
  { id: 'product_cards_generic', value: 'cards', weight: 1, en: [/\bcards?\b/, /\bpin\b/], zh: ['卡', '额度', '分期', '盗刷'] },
  { id: 'product_deposit_named', value: 'deposit_accounts', weight: 3,
    en: [/\b(?:savings|checking|current|joint|student|packaged|basic) accounts?\b/, /\b(?:overdraft|overdrawn|time deposit|fixed deposit|paper statement|cheque|check deposit|safe deposit)\b/],
    zh: ['存款', '定期', '活期', '存折', '存单', '开户', '销户', '工资卡', '储蓄卡', '户口', '外币账户', '账户管理费', '短信提醒'] },
  { id: 'product_deposit_generic', value: 'deposit_accounts', weight: 1,
    en: [/\b(?:account|accounts|atm|cash|withdraw|withdrawal|deposit|statements?|branch|salary|wages|balance)\b/],
    zh: ['账户', 'atm', '取款', '存了', '取了', '现金', '提款机', '存钱', '网点', '支行'] },
  { id: 'product_loans_named', value: 'loans', weight: 3,
    en: [/\b(?:personal|car|auto|student|payday|installment|title) loans?\b/, /\b(?:car finance|repossess\w{0,4}|lease|line of credit|settlement figure)\b/],
    zh: ['贷款', '车贷', '消费贷', '信用贷', '网贷', '借款', '个人贷款', '解押'] },
  { id: 'product_loans_generic', value: 'loans', weight: 1, en: [/\bloans?\b/, /\brepayment plan\b/], zh: ['还款', '放款', '利率'] },
  { id: 'product_mortgages', value: 'mortgages', weight: 4,
    en: [/\b(?:mortgages?|home loans?|heloc|remortgage|escrow|tracker|fixed rate|five-year fix|overpay|early repayment charge|product transfer|home equity|foreclos\w{0,4}|loan servicer|property tax(?:es)?)\b/],
    zh: ['房贷', '按揭', '公积金', '组合贷', '首付', '房屋贷款', '住房贷款'] },
  { id: 'product_payments', value: 'payments_transfers', weight: 3,
    en: [/\b(?:transfers?|transferred|wire|wired|remittance|direct debit|standing order|zelle|bpay|paypal|wechat pay|apple pay|google pay|swift|payee|exchange rate|send money|sent money|international payment|money order)\b/],
    zh: ['转账', '汇款', '跨境汇款', '代扣', '快捷支付', '云闪付', '微信支付', '支付宝', '换汇', '汇率', '换美元', '结汇', '外汇', '中间行', '电汇', '转给', '转到', '转了'] },
  { id: 'product_digital_named', value: 'digital_banking', weight: 3,
    en: [/\b(?:online banking|mobile banking|internet banking|log in|login|logging (?:me )?(?:in|out)|logged in|passcode|passkeys?|face id|otp|2fa|two-factor|crash\w{0,3}|new app)\b/],
    zh: ['手机银行', '网银', '登录', '登入', '闪退', 'u盾', '网上银行', '网络理财', '网上理财', '界面', '新版', '卸载', '验证码收不到', '收不到短信验证码'] },
  { id: 'product_digital_generic', value: 'digital_banking', weight: 1,
    en: [/\b(?:app|website|update|password)\b/], zh: ['app', '验证码', '密码'] },
  { id: 'product_debt_collection', value: 'debt_collection', weight: 5,
    en: [/\b(?:debt collect(?:or|ors|ion)|collectors?|collection (?:agency|letter)|recoveries team|ccj|sold a debt)\b/],
    zh: ['催收', '暴力催收', '爆通讯录', '通讯录'] },
  { id: 'product_credit_reporting', value: 'credit_reporting', weight: 5,
    en: [/\b(?:credit (?:report|file|score|bureaus?|reference)|experian|equifax|transunion|bureaus|fcra|reported (?:me )?\d{1,3} days late|\d{1,3}-day late payment|hard inquir(?:y|ies)|metro ?2|credit reporting)\b/],
    zh: ['征信报告', '征信上', '征信异议', '征信的信息', '征信信息', '信用报告', '逾期记录', '查询记录', '查征信'] },
  { id: 'product_credit_reporting_generic', value: 'credit_reporting', weight: 2, zh: ['征信'] },
  { id: 'product_wealth_insurance', value: 'wealth_insurance', weight: 4,
    en: [/\b(?:investments?|invest(?:ed|ing)?|fund|isa|stocks|shares|robo-advisor|financial (?:advisor|adviser)|insurance policy|premiums?|401k|portfolio|bonds?|surrender value)\b/],
    zh: ['理财', '基金', '保险', '退保', '结构性存款', '定投', '赎回', '风险等级', '股票', '债券'] },
];

export const ISSUE_ENTRIES: readonly VoteEntry<Issue>[] = [
  { id: 'issue_fraud', value: 'unauthorized_fraud', weight: 3,
    en: [/\b(?:scam\w{0,4}|fraud\w{0,6}|unauthori[sz]ed|identity theft|stolen|lost (?:my )?card|didn'?t make|never applied|phishing)\b/],
    zh: ['盗刷', '诈骗', '被骗', '冒名', '冒用', '骗子', '挂失', '被盗', '验证码'] },
  { id: 'issue_fees', value: 'fees_interest', weight: 2,
    en: [/\b(?:fees?|interest|charges|overdraft fee|late fee|exchange rate|rate|penalty|dishonour)\b/],
    zh: ['手续费', '年费', '利息', '违约金', '罚息', '滞纳金', '乱收费', '汇率', '点差', '收费', '利率', '服务费', '管理费'] },
  { id: 'issue_transaction', value: 'transaction_problem', weight: 2,
    en: [/\b(?:twice|double|duplicate|pending|hasn'?t arrived|not arrive\w{0,2}|nothing'?s come through|refund|returned|short by|trace|went through twice|wrong amount|didn'?t give me the cash)\b/],
    zh: ['到账', '没收到', '重复', '两次', '失败', '没出钞', '余额', '入账', '赎回', '钱却扣了'] },
  { id: 'issue_access', value: 'account_access', weight: 2,
    en: [/\b(?:log in|login|logging me out|locked|blocked|frozen|suspended|kept my card|can'?t check|declined)\b/],
    zh: ['登录', '登入', '冻结', '锁', '风控', '限制', '吞卡', '食咗', '取不出', '不给取', '验证码'] },
  { id: 'issue_account_management', value: 'account_management', weight: 2,
    en: [/\b(?:statements?|address|activate|replacement card|new card|close (?:her|his|my) account|open (?:a|an) \w{0,12} ?account|spelled|not arrived|delivery|register it|update my)\b/],
    zh: ['激活', '开户', '销户', '寄', '补卡', '修改', '手机号', '开通', '继承', '取消', '额度', '地址'] },
  { id: 'issue_loan_servicing', value: 'loan_servicing', weight: 2,
    en: [/\b(?:repayment|payment holiday|overpay|settlement figure|hardship|missed (?:the )?payment|fixed rate|application|escrow|payment date|arrears)\b/],
    zh: ['提前还', '还款', '延期', '停息挂账', '分期', '审批', '放款', '解押', '逾期', '贷款'] },
  { id: 'issue_collection', value: 'collection_conduct', weight: 4,
    en: [/\b(?:collectors?|collection|recoveries|keeps? ringing|called my (?:work|employer|sister))\b/], zh: ['催收', '通讯录', '单位', '骚扰'] },
  { id: 'issue_credit_report', value: 'credit_report_error', weight: 4,
    en: [/\b(?:credit (?:report|file)|bureaus?|experian|equifax|transunion|reported)\b/], zh: ['征信'] },
  { id: 'issue_service', value: 'service_conduct', weight: 2,
    en: [/\b(?:on hold|queue|waited|rude|staff|shouted|accent|humiliated|nobody answers|no1 answers|counter|promised)\b/],
    zh: ['排队', '态度', '接通', '挂断', '踢皮球', '柜员', '客服', '表扬', '无障碍', '营业'] },
  { id: 'issue_misleading', value: 'misleading_sales', weight: 3,
    en: [/\b(?:misleading|mis-?sold|sold me|guaranteed|fee-free|zero fees|never covered|without asking me|pressured)\b/],
    zh: ['误导', '搭售', '保本', '宣传', '不会亏本', '忽悠', '推销', '零利息', '说是'] },
  { id: 'issue_privacy', value: 'privacy_data', weight: 4,
    en: [/\b(?:marketing|opted out|someone else'?s statement|my data|personal information|privacy|stranger'?s)\b/],
    zh: ['营销短信', '推销短信', '信息泄露', '卖了', '透明窗', '个人信息'] },
];
