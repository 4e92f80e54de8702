/**
 * Cue data for `kind` and `sentiment` (TAXONOMY.md): dissatisfaction, praise, sarcasm, questions, greetings
 * and spam or misdirected messages, in EN (regexes over lower-case text) and ZH (substrings over simplified text).
 */

export interface KindCue {
  readonly id: string;
  readonly en?: readonly RegExp[];
  readonly zh?: readonly string[];
}

/** Spam, ads and messages sent to the wrong place: kind `other` when no harm flag is set. */
export const NOT_FOR_US: readonly KindCue[] = [
  { id: 'other_en_misdirected', en: [/\b(?:wrong (?:chat|number|person|group)|ignore (?:this|that|my last)|sent (?:this|it) by mistake)\b/] },
  { id: 'other_en_spam', en: [/\b(?:dm @|click (?:here|now)|claim (?:now|your)|you'?ve been selected|congratulations!|earn \d{1,4}%|bit\.ly|reply stop|crypto signals|btc signals)/] },
  { id: 'other_zh_misdirected', zh: ['发错了', '发错', '打错了', '乱按', '不用管', '请忽略'] },
  { id: 'other_zh_spam', zh: ['代开', '发票', '加v', '加微', '退订回t', 't.cn', '立即领取', '点击领取', '恭喜您', '中奖'] },
];

/** Greetings and test messages: a text made only of these is kind `other`. */
export const GREETINGS = {
  en: /\b(?:hi|hello|hey|hiya|yo|dear|sir|madam|good|morning|afternoon|evening|test|testing|ok|okay|there|team|happy|new|year|merry|christmas|lol)\b/g,
  zh: /你好|您好|在吗|在不在|有人吗|早晨|早上好|晚上好|下午好|哈喽|嗨|祝|大家|新年快乐|身体健康|节日快乐|恭喜发财|收到|好的/g,
};

export const DISSATISFACTION: readonly KindCue[] = [
  { id: 'complaint_en_not_done', en: [
    /\b(?:hasn'?t|has not|haven'?t|have not|still not|never|not) (?:arrived|arrive|received|come through|turned up|shown up|been (?:refunded|fixed|resolved|sorted|returned|credited))\b/,
    /\bstill (?:no|not|waiting|hasn'?t|haven'?t|pending|going to)\b/, /\bnothing(?:'s| has)? (?:come|arrived|been received)\b/,
    /\b(?:nothing received|no (?:refund|reply|response|answer|decision|provisional credit|letter))\b/] },
  { id: 'complaint_en_failure', en: [
    /\b(?:doesn'?t|does not|won'?t|will not|didn'?t|did not|can'?t|cannot|couldn'?t|isn'?t|not) (?:work|working|load|open|let me|go through|turn up|get through|answer|respond|reply|help|pay|use|get|check)\b/,
    /\b(?:crash(?:es|ed|ing)?|fail(?:s|ed|ing)?|failure|error|declined|rejected|bounced|stuck|broken|glitch|frozen|blocked|locked|suspended|missing|wrong|incorrect|mistake|kept my card|logging me out)\b/,
    /\bkeeps? (?:failing|crashing|ringing|calling|logging|charging|happening|sending)\b/,
    /\b(?:on hold|no1 answers|no one answers|nobody answers|nobody told me|no one told me|nobody sent|nobody checked|without (?:any )?(?:notice|asking|telling|warning)|never (?:told|asked|informed|mentioned|sent|checked)|not mentioned)\b/] },
  { id: 'complaint_en_charged', en: [
    /\b(?:charged|double-charged|overcharged|charging me|still take|took the|debited|deducted|short by|hide|hidden|chased|pending for|been pending)\b/, /'pending'/] },
  { id: 'complaint_en_negative_words', en: [
    /\b(?:unacceptable|not acceptable|ridiculous|disgrace(?:ful)?|appalling|terrible|awful|horrible|worst|useless|pathetic|shocking|outrageous|a joke|annoyed|annoying|frustrat(?:ed|ing)|fed up|angry|furious|upset|disappointed|not happy|unhappy|sick of|tired of|embarrass(?:ed|ing|ment)|humiliated|misleading|not right|not fair|unfair|scared|worried|seriously|come on|is that even allowed|what exactly|can'?t believe|is killing me|who designed this)\b/,
    /\bwhy (?:is this|is there|are you|did you|have you|has this|was i|were we|am i being|would you)\b/,
    /\bwhy (?:has|have|was|were|did|does|is|are) (?:my|the|this|these|there)\b/,
    /\b(?:extra|random|weird|odd|unexpected|strange|unknown|unfamiliar) (?:\S{1,8} )?(?:fee|charge|payment|transaction|withdrawal)s?\b/] },
  { id: 'complaint_en_demand', en: [
    /\b(?:i want (?:it|my|this|that|the|a refund|an apology|his|her|them|to know (?:why|how))|i demand|refund (?:it|one|the|my|me)|please refund|reverse one|sort it|fix it|pls fix|please fix|do something|release it|stop (?:it|this|calling|charging|the charges)|get it updated|correct this|need someone to|want (?:it|this) removed|treat this as)\b/] },
  { id: 'complaint_zh_not_done', zh: [
    '还没到', '没到账', '还没收到', '没收到', '没有收到', '还没办', '一直没', '到现在', '至今', '也没人', '没人理', '没有人', '没有一个人', '没人接', '没人联系',
    '一个电话都没有', '收不到', '查不到', '不了', '不能用', '用不了', '登不进', '打不通', '打不进', '不行', '失败', '闪退', '出错', '故障', '错误', '没变', '没出钞',
    '吞卡', '食咗', '唔到', '冇人', '唔方便', '唔合理', '要等', '还是没', '都半年', '都三天', '排了', '排队', '被挂断'] },
  { id: 'complaint_zh_money', zh: [
    '扣了', '多扣', '重复扣', '入账了两次', '乱收费', '还在收', '还要收', '照收', '又扣', '居然', '竟然', '赔偿', '损失', '亏了', '蚀咗', '退保只能',
    '这个损失', '多收'] },
  { id: 'complaint_zh_negative_words', zh: [
    '投诉', '不合理', '离谱', '凭什么', '怎么回事', '为什么', '为啥', '到底', '不满', '失望', '生气', '气死', '烦死', '好烦', '烦不烦', '太慢', '太差', '太黑',
    '太落后', '坑人', '踢皮球', '推诿', '敷衍', '白跑', '总算', '根本', '不给', '不让', '不同意', '拒绝', '被拒', '强制', '丢死人', '耽误', '急用', '急着用',
    '受不了', '过分', '说法', '搞什么', '有没有人管', '合适吗', '合理吗', '就不能', '能不能别', '别打了', '避坑', '🙃', '😡', '😤', '👎'] },
];

/** Praise that, said straight, makes a compliment (without dissatisfaction). */
export const PRAISE: readonly KindCue[] = [
  { id: 'compliment_en_thanks', en: [/\b(?:thank you(?: so much| very much)?(?: to| for)|thanks (?:so much )?for|thanks [a-z]{2,20}!|cheers for|just wanted to say thank)\b/] },
  { id: 'compliment_en_praise', en: [
    /\b(?:brilliant|excellent|great (?:service|job|help)|very good service|good service|amazing|fantastic|superb|absolute star|impressed|well done|kudos|grateful|so helpful|saved me|bang on time|so quick|fast reply|massive difference)\b/] },
  { id: 'compliment_zh_thanks', zh: ['感谢', '谢谢你们', '多谢', '太感谢', '辛苦了'] },
  { id: 'compliment_zh_praise', zh: ['点赞', '表扬', '满意', '好用', '服务好', '态度好', '态度超好', '很及时', '很快', '好快', '耐心', '给力', '👍', '🙏', '好评', '帮了大忙', '清爽'] },
];

/** Praise that is really a complaint (sarcasm markers). */
export const SARCASM: KindCue = {
  id: 'complaint_sarcasm',
  en: [/(?:🙃|🙄|😡|#not\b|#thanksfornothing|#fail\b|#worst|thanks for nothing|love that for me|as always|truly world class|world class\.)/],
  zh: ['真厉害', '为你们的效率点赞', '呵呵'],
};

export const INQUIRY: readonly KindCue[] = [
  { id: 'inquiry_en_question', en: [
    /\b(?:how (?:do|can|does|long|much|many|would|should|to)|what (?:is|are|do|does|should|happens|hardship|info|information|documents)|what's|which|where (?:can|do)|when (?:will|can|does|do)|can i|could i|can you tell|do you|does (?:the|your|it)|is there|are there|is it possible|would i|should i|will i|do i need|i (?:wanted|want|would like) to (?:ask|know)|quick question|wondering|just want to set up|whether)\b/] },
  { id: 'inquiry_en_request', en: [
    /\b(?:i(?:'d| would) like to|i wish to|i need to|i want to (?:set up|open|close|change|update|order|activate|reactivate|cancel|add|link|know|ask|check|track|top up|apply)|can you|could you|would you|please (?:send|tell|help|activate|change|update|close|open|cancel|advise|explain|confirm)|help me|let me know)\b/] },
  { id: 'inquiry_zh_question', zh: [
    '请问', '怎么', '如何', '怎样', '是否', '能否', '可以吗', '可不可以', '可唔可以', '能不能', '会不会', '要不要', '有没有', '是什么', '多少', '哪些', '哪里', '几点', '吗',
    '想问', '问一下', '咨询', '了解一下', '需要带', '需要什么', '需要准备', '要带什么', '使唔使', '我想办', '我想开', '我想改', '我想取消', '帮我办', '麻烦告诉'] },
];

/** Strong negative tone, for sentiment: a complaint without it is often stated neutrally. */
export const STRONG_NEGATIVE: KindCue = {
  id: 'sentiment_strong_negative',
  en: [/(?:!!|\?!|\?\?|😭|😡|😤|🙄|🙃|\b(?:unacceptable|not acceptable|ridiculous|a joke|annoyed|annoying|worst|terrible|furious|angry|upset|scared|worried|humiliated|embarrass\w{0,5}|can'?t believe|seriously|come on|not happy|fed up|stop\b|want (?:it|that|his|my)|misleading|urgent|now\b|asap))/],
  zh: [
    '!', '？', '离谱', '凭什么', '到底', '气死', '烦', '太', '根本', '居然', '竟然', '投诉', '说法', '为什么', '就不能', '坑', '踢皮球', '白跑',
    '😤', '😡', '🙃', '合理吗', '合适吗', '曝光', '骗'
  ],
};
