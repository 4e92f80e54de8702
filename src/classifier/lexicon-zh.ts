/**
 * Chinese keyword lexicon of DOMAIN.md §3.1 (with Cantonese forms seen in HK messages), as data: plain
 * substrings over normalised, simplified text. Traditional input reaches these terms through normalize.ts.
 */
import type { ChineseEntry } from './lexicon.js';

/** Every combination `prefix + suffix` (第三次 + 投诉 → 第三次投诉), to keep repeat-contact phrases readable. */
function combine(prefixes: readonly string[], suffixes: readonly string[]): string[] {
  return prefixes.flatMap((prefix) => suffixes.map((suffix) => prefix + suffix));
}

/** 70岁 … 109岁 and 今年70 … 今年109: an age that marks an older customer. */
function olderAges(): string[] {
  const ages = Array.from({ length: 40 }, (_, offset) => String(70 + offset));
  return [...ages.map((age) => `${age}岁`), ...ages.map((age) => `今年${age}`)];
}

export const CHINESE_LEXICON: readonly ChineseEntry[] = [
  // ── self_harm; idioms such as 气死我了, 笑死, 急死了, 烦死了, 丢死人 are deliberately absent
  { id: 'self_harm_zh_not_want_to_live', flag: 'self_harm', language: 'zh', terms: [
    '不想活', '唔想活', '不想再活', '活不下去', '活唔落去', '活着有什么意思', '活着还有什么意思', '活着没意思', '不如死了', '不如去死', '命都不要了'] },
  { id: 'self_harm_zh_want_to_die', flag: 'self_harm', language: 'zh', terms: ['想死', '寻死'], notFollowedBy: ['你', '您', '他', '她', '它'] },
  { id: 'self_harm_zh_go_die', flag: 'self_harm', language: 'zh', terms: ['去死'], notPrecededBy: ['你', '他', '她', '们', '都'], notFollowedBy: ['吧'] },
  { id: 'self_harm_zh_suicide', flag: 'self_harm', language: 'zh', terms: [
    '自杀', '轻生', '结束生命', '结束自己', '了结自己', '一了百了', '死给你们看', '死给你看'] },
  { id: 'self_harm_zh_method', flag: 'self_harm', language: 'zh', terms: [
    '跳楼', '跳河', '跳江', '从楼上跳', '楼上跳下去', '割腕', '喝药', '喝农药', '吃安眠药'],
    notFollowedBy: ['价', '甩卖', '大甩卖'] },

  // ── fraud that happened (high)
  { id: 'fraud_zh_stolen_card', flag: 'fraud', language: 'zh', terms: ['盗刷', '盗用', '冒用', '冒名', '被盗', '伪卡', '克隆卡', '被人刷了'] },
  { id: 'fraud_zh_identity', flag: 'fraud', language: 'zh', terms: ['冒名贷款', '被贷款', '身份被冒用', '用我的身份'] },
  { id: 'fraud_zh_not_me', flag: 'fraud', language: 'zh', terms: [
    '非本人交易', '非本人操作', '不是我本人', '不是本人操作', '不是我操作', '我没有操作', '根本没有操作', '从来没有申请', '从来没申请',
    '没有申请过', '没申请过', '从来没有开通', '从来没开通', '从来没办过', '从没办过'] },
  { id: 'fraud_zh_unauthorized', flag: 'fraud', language: 'zh', terms: ['未经授权', '未授权', '不明扣款', '莫名扣款', '莫名其妙扣', '莫名扣', '异常交易'] },
  { id: 'fraud_zh_taken', flag: 'fraud', language: 'zh', terms: ['被转走', '被人转走', '被划走', '被人登录', '被人登陆', '账户被盗', '账号被盗', '被盗号'] },
  { id: 'fraud_zh_scam', flag: 'fraud', language: 'zh', terms: ['诈骗', '被骗', '电诈', '杀猪盘', '受骗', '上当受骗', '安全账户'] },
  { id: 'fraud_zh_phishing', flag: 'fraud', language: 'zh', terms: [
    '钓鱼链接', '钓鱼网站', '验证码泄露', '泄露验证码', '点了链接', '点了短信里的链接', '冒充客服', '冒充银行', '冒充公安', '冒充警察', '假冒客服'] },
  { id: 'fraud_zh_card_in_possession', flag: 'fraud', language: 'zh', terms: ['卡一直在我', '卡一直喺我', '卡在我身上', '卡一直在身上', '卡在我钱包'] },

  // ── fraud happening now (critical)
  { id: 'fraud_zh_in_progress', flag: 'fraud', language: 'zh', traits: ['in_progress'], terms: [
    '正在被转', '正在被盗', '正在被扣', '正在转走', '正在用我的', '还在电话里', '还在电话上', '还在那边等', '还在线上', '让我接着转', '让我继续转',
    '验证码念给', '把验证码念', '把验证码告诉', '问我要验证码', '要我的验证码'] },
  { id: 'fraud_zh_still_happening', flag: 'fraud', language: 'zh', traits: ['in_progress_modifier'], terms: [
    '正在转账', '还在扣', '一直在扣', '不停地扣', '不停扣', '正在扣', '还在继续', '刚刚'] },

  // ── funds_inaccessible (登录不了 alone is digital banking, not this flag; 帮我冻结 is a request, not a freeze)
  { id: 'funds_zh_frozen', flag: 'funds_inaccessible', language: 'zh', terms: [
    '账户冻结', '账户被冻', '卡被冻', '资金冻结', '被冻结', '冻结咗', '冻结了我', '工资卡被冻', '被止付', '只收不付', '只能进不能出', '只进不出', '断卡行动'] },
  { id: 'funds_zh_restricted', flag: 'funds_inaccessible', language: 'zh', terms: [
    '非柜面交易限制', '非柜面限制', '限制非柜面', '被限额', '限制交易', '交易被限制', '锁卡', '卡被锁', '账户被锁', '被锁定', '账户异常', '被风控', '风控了'] },
  { id: 'funds_zh_cannot_withdraw', flag: 'funds_inaccessible', language: 'zh', terms: [
    '无法转账', '转不了账', '取不出钱', '钱取不出来', '取不出来', '无法取款', '取不了钱', '不给取', '不让取', '不给我取', '攞唔出', '拎唔出'] },

  // ── vulnerable_customer
  { id: 'vulnerable_zh_age', flag: 'vulnerable_customer', language: 'zh', terms: [
    '老人', '老年人', '年纪大', '七十多', '八十多', '九十多', '七十几', '八十几', '高龄', ...olderAges()] },
  { id: 'vulnerable_zh_capability', flag: 'vulnerable_customer', language: 'zh', terms: [
    '不会用手机', '不会操作', '不识字', '听不清', '视力不好', '不会用智能手机', '搞不懂这些', '不会上网'] },
  { id: 'vulnerable_zh_disability', flag: 'vulnerable_customer', language: 'zh', terms: ['残疾', '盲人', '聋哑', '失明', '轮椅', '智力障碍', '行动不便', '瘫痪'] },
  { id: 'vulnerable_zh_cognitive', flag: 'vulnerable_customer', language: 'zh', terms: ['失智', '老年痴呆', '痴呆', '阿尔茨海默', '监护人', '代办'] },
  { id: 'vulnerable_zh_health', flag: 'vulnerable_customer', language: 'zh', terms: [
    '住院', '生病', '重病', '病重', '癌症', '化疗', '手术', '抑郁', 'icu', '病房', '看病', '医药费', '医院'] },
  { id: 'vulnerable_zh_bereavement', flag: 'vulnerable_customer', language: 'zh', terms: ['去世', '过世', '离世', '身故', '丧事', '继承', '遗产', '遗嘱'] },
  { id: 'vulnerable_zh_life_event', flag: 'vulnerable_customer', language: 'zh', terms: [
    '离婚', '家暴', '失业', '下岗', '裁员', '被裁', '生意垮了', '破产', '没收入', '没有收入'] },
  { id: 'vulnerable_zh_hardship', flag: 'vulnerable_customer', language: 'zh', traits: ['hardship', 'financial_harm'], terms: [
    '还不起', '还不上', '生活困难', '经济困难', '揭不开锅', '交不起', '付不起', '吃不上饭', '以贷养贷', '走投无路'] },
  { id: 'vulnerable_zh_savings_at_risk', flag: 'vulnerable_customer', language: 'zh', terms: [
    '低保', '救命钱', '养老钱', '看病钱', '全部积蓄', '血汗钱', '退休金', '养老金'] },

  // ── regulators (a referral verb counts only when a regulator is named)
  { id: 'regulator_zh_named', flag: 'regulator_threat', language: 'zh', notPrecededBy: ['个'], notFollowedBy: ['道'], terms: [
    '银保监会', '银保监局', '银监会', '银监局', '金融监管总局', '国家金融监督管理总局', '金融监管局', '监管局', '监管部门', '监管机构', '人民银行', '人行', '央行',
    '12378', '12363', '12315', '市场监管', '消协', '消费者协会', '消委会', '信访', '金管局', '金融管理局', '证监会', '金融办', '投诉到监管', '向监管'] },
  { id: 'referred_zh_transferred', flag: 'regulator_referred', language: 'zh', traits: ['needs_regulator'], terms: [
    '转办', '转交', '转给你们', '转给贵行', '转到你们', '转到贵行', '转到我行', '转来', '转送', '转介', '转你行'] },

  // ── media_threat
  { id: 'media_zh_press', flag: 'media_threat', language: 'zh', terms: [
    '曝光', '找媒体', '媒体', '记者', '电视台', '上新闻', '传媒', '报社', '报纸', '舆论', '网曝', '热搜'] },
  { id: 'media_zh_social', flag: 'media_threat', language: 'zh', terms: [
    '发微博', '微博', '抖音', '小红书', '头条', '黑猫投诉', '网上发帖', '发朋友圈', '朋友圈', '公众号'] },

  // ── legal_threat
  { id: 'legal_zh_lawsuit', flag: 'legal_threat', language: 'zh', terms: [
    '律师', '起诉', '诉讼', '打官司', '法院', '仲裁', '法律途径', '法律手段', '维权', '告你们', '法庭'] },
  { id: 'legal_zh_police', flag: 'legal_threat', language: 'zh', traits: ['police'], terms: ['报警', '打110', '拨打110', '公安', '派出所', '立案'] },

  // ── repeat_complaint (一次又一次的故障 alone is not)
  { id: 'repeat_zh_complained_before', flag: 'repeat_complaint', language: 'zh', terms: [
    '再次投诉', '又一次投诉', '多次投诉', '反复投诉', '之前投诉过', '以前投诉过', '上次投诉', '已经投诉过', '投诉编号', '工单号', '升级投诉', '找你们领导', '屡次'] },
  { id: 'repeat_zh_nth_time', flag: 'repeat_complaint', language: 'zh', terms: [
    ...combine(['第二次', '第三次', '第四次', '第五次', '第n次'], ['投诉', '打', '来', '反映', '联系', '找', '致电', '催']),
    ...combine(['打了', '说了', '问了', '催了', '反映了', '投诉了', '找了', '打过', '反映过', '投诉过', '联系了', '联系过'],
      ['两次', '三次', '四次', '五次', '好几次', '很多次', '多次', '几次', '无数次'])] },
  { id: 'repeat_zh_unresolved', flag: 'repeat_complaint', language: 'zh', terms: ['一直没解决', '至今未解决', '至今没有解决', '还是没解决'] },

  // ── staff_misconduct
  { id: 'staff_zh_attitude', flag: 'staff_misconduct', language: 'zh', terms: [
    '态度恶劣', '态度差', '态度很差', '态度好差', '态度太差', '态度真差', '态度不好', '态度极差', '出言不逊', '辱骂', '骂我', '不耐烦', '甩脸色', '翻白眼'] },
  { id: 'staff_zh_threat', flag: 'staff_misconduct', language: 'zh', terms: ['威胁', '歧视', '恐吓'] },
  { id: 'staff_zh_mis_selling', flag: 'staff_misconduct', language: 'zh', terms: [
    '误导销售', '强制搭售', '捆绑销售', '搭售', '不买就不给', '拍着胸脯', '拍胸脯', '忽悠', '保本保息', '说保本', '说是低风险', '话係低风险'] },
  { id: 'staff_zh_promised_returns', flag: 'staff_misconduct', language: 'zh', notPrecededBy: ['会'], terms: ['不会亏本', '保证收益', '稳赚不赔'] },
  { id: 'staff_zh_forgery', flag: 'staff_misconduct', language: 'zh', terms: ['代签', '伪造签名', '冒签', '飞单', '私售', '让他签字', '让她签字'] },
];
