/**
 * English keyword lexicon of DOMAIN.md §3.1, as data: one entry per signal, each with the rule id that flag
 * reasons cite. Patterns run over normalised text (lower-case, ASCII quotes, single spaces); every repetition
 * is bounded and no quantifier is nested, so no pattern can backtrack catastrophically.
 */
import type { EnglishEntry } from './lexicon.js';

const TRANSACTION = '(?:charges?|payments?|transactions?|purchases?|withdrawals?|transfers?|debits?)';
const RELATIVE = '(?:mum|mom|mother|dad|father|gran|granny|grandma|grandmother|grandfather|grandad|grandpa|nan|husband|wife|partner|aunt|uncle)';
const AGE_70_PLUS = '(?:[7-9]\\d|1[01]\\d)';

export const ENGLISH_LEXICON: readonly EnglishEntry[] = [
  // ── self_harm: direct and indirect; idioms ("killing me", "dying to know") are deliberately absent
  { id: 'self_harm_en_suicide', flag: 'self_harm', language: 'en', patterns: [
    /(?<!(?:veterans|people|others|they|he|she|someone|friend|brother|sister|son|daughter|husband|wife|partner|father|mother|dad|mum|mom) commit(?:s|ted)? )\bsuicide\b(?! (?:prevention|hotline|helpline|rates?|bomber|squad))/,
    /\b(?:suicidal|kill myself|killing myself|end my life|ending my life|end it all|take my (?:own )?life|taking my (?:own )?life)\b/] },
  { id: 'self_harm_en_want_to_die', flag: 'self_harm', language: 'en', patterns: [
    /\b(?:want|wanna|wanted) to die\b/, /\bwish i (?:was|were) dead\b/, /\bbetter off dead\b/] },
  { id: 'self_harm_en_do_not_want_to_live', flag: 'self_harm', language: 'en', patterns: [
    /\b(?:don'?t|do not) want to (?:live|be alive|be here)\b/,
    /\bno (?:reason|point) (?:to|in) (?:live|living|going on)\b/,
    /\b(?:don'?t|can'?t|do not|cannot) see the point (?:anymore|any more|of living|in living|of going on)\b/] },
  { id: 'self_harm_en_cannot_go_on', flag: 'self_harm', language: 'en', patterns: [
    /\b(?:can'?t|cannot|can not) go on(?: like this| anymore| any more| living)\b/, /\b(?:can'?t|cannot|can not) go on(?=[.!,;]|$)/] },
  { id: 'self_harm_en_not_here', flag: 'self_harm', language: 'en', patterns: [
    /\bbetter off (?:without me|if i (?:wasn'?t|weren'?t|was not|were not) (?:here|around|alive))\b/,
    /\bif i (?:wasn'?t|weren'?t|was not|were not) (?:here|around|alive) (?:anymore|any more)\b/] },
  { id: 'self_harm_en_no_way_out', flag: 'self_harm', language: 'en', patterns: [
    /\b(?:can'?t|cannot|can not|don'?t|do not) see (?:a|any) way out\b/, /\bno way out (?:anymore|any more|for me)\b/] },
  { id: 'self_harm_en_hurt_myself', flag: 'self_harm', language: 'en', patterns: [
    /\b(?:hurt|harm|cut) myself\b/, /\boverdose\b/, /\bself[- ]harm\b/, /\bjump(?:ing)? (?:off|from) (?:a |the )?(?:bridge|building|roof)\b/] },

  // ── fraud that happened (high)
  { id: 'fraud_en_unauthorized', flag: 'fraud', language: 'en', patterns: [/\bunauthori[sz]ed\b/, /\bnot authori[sz]ed by me\b/] },
  { id: 'fraud_en_did_not_make', flag: 'fraud', language: 'en', patterns: [
    new RegExp(`\\b${TRANSACTION}\\b(?:[^.!?]|\\.\\d){0,80}\\b(?:i|we) (?:didn'?t|did not|didnt|never) (?:make|authori[sz]e|do|approve)\\b`),
    /\b(?:didn'?t|did not|never) (?:make|authori[sz]e|approve) (?:this|these|those|that|any|either|both)\b/] },
  { id: 'fraud_en_not_recognised', flag: 'fraud', language: 'en', patterns: [
    /\b(?:don'?t|do not|didn'?t|did not) recogni[sz]e (?:this|these|the|that|a|any|it|them)\b/, /\bnot recogni[sz]ed\b/] },
  { id: 'fraud_en_fraud', flag: 'fraud', language: 'en', patterns: [
    /\bfraud(?:ulent|ulently|ster|sters)?\b(?! (?:team|department|dept|unit|line|prevention|check|checks|alert|alerts|claim form))/] },
  { id: 'fraud_en_scam', flag: 'fraud', language: 'en', patterns: [/\bscam(?:med|mer|mers|s)?\b/] },
  { id: 'fraud_en_stolen', flag: 'fraud', language: 'en', patterns: [
    /\bstolen (?:card|phone|wallet|identity|details)\b/, /\b(?:card|phone|wallet|purse|details) (?:was|were|has been|have been|got) stolen\b/] },
  { id: 'fraud_en_compromised', flag: 'fraud', language: 'en', patterns: [/\b(?:compromised|hacked)\b/] },
  { id: 'fraud_en_takeover', flag: 'fraud', language: 'en', patterns: [
    /\baccount takeover\b/,
    /\b(?:someone|somebody|a stranger|hackers?|a scammer)(?: has| have| had)? (?:accessed|logged in|logged into|got into|broke into|used)\b/] },
  { id: 'fraud_en_phishing', flag: 'fraud', language: 'en', patterns: [/\b(?:phishing|smishing|vishing|spoofed|spoofing)\b/] },
  { id: 'fraud_en_identity_theft', flag: 'fraud', language: 'en', patterns: [
    /\bidentity theft\b/, /\b(?:opened|taken out|applied for|set up) in my name\b/, /\b(?:used|stole|stolen) my identity\b/] },
  { id: 'fraud_en_never_applied', flag: 'fraud', language: 'en', patterns: [
    /\b(?:never|didn'?t|did not) (?:applied|apply) for (?:a|an|the|this|that|any)\b/, /\bi never opened\b/,
    /\b(?:loan|card|account)s? (?:that )?i (?:never|didn'?t|did not) (?:apply for|open|take out|sign up for)\b/] },
  { id: 'fraud_en_never_set_up', flag: 'fraud', language: 'en', patterns: [
    /\bi (?:never|didn'?t|did not) set (?:it|this|that|them) up\b/, /\bnot by me\b/] },
  { id: 'fraud_en_money_taken', flag: 'fraud', language: 'en', patterns: [
    /\bmoney (?:was|has been) taken\b/, /\b(?:drained|emptied|cleared out) my (?:account|savings)\b/] },
  { id: 'fraud_en_sim_swap', flag: 'fraud', language: 'en', patterns: [/\bsim (?:swap|swapped|swapping)\b/] },
  { id: 'fraud_en_push_payment', flag: 'fraud', language: 'en', patterns: [/\bauthori[sz]ed push payment\b/, /\bsafe account\b/] },
  { id: 'fraud_en_code_shared', flag: 'fraud', language: 'en', patterns: [
    /\b(?:gave|shared|told|read out) (?:him|her|them|the caller|someone|a scammer) (?:my|the) (?:otp|one-time passcode|one-time password|security code|verification code|code|pin)\b/,
    /\b(?:otp|one-time passcode|one-time password) (?:was )?shared\b/] },
  { id: 'fraud_en_fell_for', flag: 'fraud', language: 'en', patterns: [
    /\bfell for (?:a|an|the|this|their) (?:text|scam|call|email|message|link|fake)\b/,
    /\bpretending to be (?:from )?(?:you|your|the bank|my bank|a bank)\b/] },
  { id: 'fraud_en_card_in_possession', flag: 'fraud', language: 'en', patterns: [
    /\bcard (?:is|was|has been|'s) (?:still )?in my (?:hand|wallet|purse|pocket|possession)\b/] },
  { id: 'fraud_en_never_been_there', flag: 'fraud', language: 'en', patterns: [/\bi(?:'ve| have) never (?:even )?been (?:to|in)\b/] },

  // ── fraud happening now (critical)
  { id: 'fraud_en_money_leaving_now', flag: 'fraud', language: 'en', traits: ['in_progress'], patterns: [
    /\bmoney is (?:leaving|going out|being taken)\b/, /\b(?:leaving|going out of|draining) my (?:account|savings)\b/,
    /\bbefore they empty\b/] },
  { id: 'fraud_en_scammer_on_the_line', flag: 'fraud', language: 'en', traits: ['in_progress'], patterns: [
    /\b(?:someone|somebody|a man|a woman|a guy|he|she|they|the caller|a caller|the scammer)(?: is|'s| are|'re) (?:still )?on the (?:phone|line|other line) (?:with me|now|right now)\b/,
    /\b(?:he|she|they|the scammer|the fraudster|the caller)(?:'s| is| are|'re) (?:still )?(?:holding|on the line|waiting on the (?:phone|line))\b/,
    /\bi'?ve got (?:a|an|the|someone)\b[a-z ]{0,30}\bon (?:my|the other) (?:mobile|phone|line)\b/,
    /\b(?:asking|wants|told) me to (?:read out|read|give|tell|share)\b[^.!?]{0,30}\bcode\b/,
    /\btalking me through it\b/,
    /\b(?:i'?m|i am|we'?re|we are) being (?:scammed|defrauded|hacked)\b/,
    /\b(?:wants|asking|telling|told) me to (?:transfer|send|move|pay) (?:more|the rest|another|again)\b/] },
  { id: 'fraud_en_takeover_now', flag: 'fraud', language: 'en', traits: ['in_progress'], patterns: [/\b(?:been|being) taken over\b/] },
  { id: 'fraud_en_still_happening', flag: 'fraud', language: 'en', traits: ['in_progress_modifier'], patterns: [
    /\bas we speak\b/, /\bstill going\b/, /\bstill happening\b/, /\b(?:in the )?last \d{1,3} (?:mins?|minutes)\b/,
    /\b\d{1,3} (?:mins?|minutes) ago\b/] },

  // ── funds_inaccessible (log-in trouble alone is digital banking, not this flag)
  { id: 'funds_en_account_frozen', flag: 'funds_inaccessible', language: 'en', patterns: [
    /\b(?:account|accounts|card|cards|funds|money|savings|wages|salary)(?:'s| is| are| was| were| has| have| been| got| now| still| currently| just){0,3} (?:frozen|locked|blocked|restricted|suspended)\b/,
    /\b(?:you|you've|you have|they|they've|they have|the bank|bank)(?: have| has| just| now){0,2} (?:froze|frozen|locked|blocked|suspended|restricted) (?:my|our) (?:account|accounts|card|cards|funds|money|savings)\b/] },
  { id: 'funds_en_cannot_access_money', flag: 'funds_inaccessible', language: 'en', patterns: [
    /\b(?:can'?t|cannot|can not|unable to|couldn'?t) (?:access|touch|withdraw|use|get to|get at|spend) (?:any of |a penny of |all of )?(?:my |our |the |any )?(?:money|funds|savings|wages|salary|benefits|cash|pension)\b/,
    /\b(?:can'?t|cannot|can not|couldn'?t) get (?:my|our) (?:money|funds|benefits|wages|salary|savings|cash) out\b/,
    /\bcan'?t touch a (?:penny|cent|dollar|pound)\b/, /\bno access to (?:my |our )?(?:wages|salary|benefits|money|funds|pension)\b/] },
  { id: 'funds_en_withdrawal_refused', flag: 'funds_inaccessible', language: 'en', patterns: [
    /\b(?:can'?t|cannot|can not|unable to|won'?t let me|refused to let me|not allowed to) withdraw\b/,
    /\bwithdrawals? (?:refused|blocked|declined|denied)\b/] },
  { id: 'funds_en_on_hold', flag: 'funds_inaccessible', language: 'en', patterns: [
    /\b(?:funds|money|deposit|wages|salary) (?:are |is )?on hold\b/, /\bhold on my (?:deposit|funds|account|money)\b/,
    /\bcard (?:is |keeps being |gets )?declined everywhere\b/, /\bdebanked\b/, /\bclosed my account without (?:any )?notice\b/] },

  // ── vulnerable_customer (FCA FG21/1 drivers)
  { id: 'vulnerable_en_age', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:elderly|pensioner|pensioners|senior citizen|oap)\b/,
    new RegExp(`\\b(?:i'?m|i am|aged) ${AGE_70_PLUS}\\b(?! (?:pounds|dollars|quid|days|minutes|mins|percent))`),
    new RegExp(`\\b${RELATIVE}(?: is|'s) ${AGE_70_PLUS}\\b`), new RegExp(`\\b${AGE_70_PLUS}-year-old\\b`)] },
  { id: 'vulnerable_en_cognitive', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:dementia|alzheimer'?s|memory loss|learning disabilit(?:y|ies)|power of attorney|carer|caregiver)\b/] },
  { id: 'vulnerable_en_capability', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:can'?t|cannot|don'?t know how to|unable to) use (?:the|your|a) (?:app|internet|smartphone|online banking)\b/,
    /\bnot good with (?:technology|computers|phones)\b/, /\benglish is not my first language\b/,
    /\b(?:don'?t|do not) (?:really )?understand the app\b/, /\bnever used a smartphone\b/] },
  { id: 'vulnerable_en_disability', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:blind|deaf|disabled|disability|wheelchair|visually impaired|hearing impaired|partially sighted|screen reader|voiceover)\b/] },
  { id: 'vulnerable_en_health', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:cancer|chemo|chemotherapy|hospital|hospitali[sz]ed|terminally ill|terminal illness|surgery|mental health|depression|intensive care|icu)\b/] },
  { id: 'vulnerable_en_bereavement', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:bereave(?:d|ment)|passed away|deceased|executor|probate|funeral|widow|widowed|widower|death certificate)\b/,
    new RegExp(`\\b(?:${RELATIVE}|son|daughter|brother|sister) (?:has |had )?(?:died|passed)\\b`),
    new RegExp(`\\blost my (?:${RELATIVE}|son|daughter)\\b`)] },
  { id: 'vulnerable_en_relationship', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:divorce|divorced|domestic (?:abuse|violence)|coercive control|financial abuse|abusive (?:partner|husband|wife|ex))\b/] },
  { id: 'vulnerable_en_job_loss', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:lost my job|made redundant|redundancy|laid off|unemployed|out of work|lost (?:my|our) (?:income|business))\b/] },
  { id: 'vulnerable_en_hardship', flag: 'vulnerable_customer', language: 'en', traits: ['hardship', 'financial_harm'], patterns: [
    /\b(?:can'?t|cant|cannot|can not|couldn'?t|unable to) (?:afford|pay (?:the |my |our )?(?:rent|bills|mortgage|loan|food)|buy (?:food|groceries))\b/,
    /\b(?:behind on (?:my |our )?(?:payments|rent|bills)|in arrears|food bank|bankrupt|bankruptcy|overdraft spiral|struggling financially|struggling to pay)\b/] },
  { id: 'vulnerable_en_hardship_support', flag: 'vulnerable_customer', language: 'en', traits: ['question_sensitive'], patterns: [/\bhardship\b/] },
  { id: 'vulnerable_en_low_income', flag: 'vulnerable_customer', language: 'en', patterns: [
    /\b(?:on benefits|my benefits|universal credit|centrelink|state pension|pension credit|disability allowance|social security|food stamps|welfare)\b/] },

  // ── regulators: threats, and referrals (a referral verb counts only when a regulator is named)
  { id: 'regulator_en_named', flag: 'regulator_threat', language: 'en', patterns: [
    /\b(?:cfpb|consumer financial protection bureau|occ|fdic|federal reserve|attorney general|state regulator|regulators?|fca|financial conduct authority|financial ombudsman|fos|ombudsman|afca|asic|hkma|monetary authority|fdrc|ico|information commissioner|better business bureau)\b/] },
  { id: 'regulator_en_report_you', flag: 'regulator_threat', language: 'en', patterns: [/\breport (?:you|this bank|your bank) to\b/] },
  { id: 'referred_en_forwarded', flag: 'regulator_referred', language: 'en', traits: ['needs_regulator'], patterns: [
    /\b(?:referred|forwarded|passed|sent|transferred|escalated|handed)(?: on| over)? (?:my|the|this|our|it|a)\b(?: [\w'-]{1,20}){0,3} (?:back )?(?:to you|to your bank|to the bank|on to you)\b/,
    /\b(?:submitted|filed|lodged|sent) (?:through|via) (?:the )?(?:cfpb|consumer financial protection bureau|financial ombudsman|ombudsman|fos|afca|hkma|fca)\b/,
    /\b(?:cfpb|afca|fos|hkma|ombudsman)(?:'s)? referral\b/] },

  // ── media_threat
  { id: 'media_en_press', flag: 'media_threat', language: 'en', patterns: [
    /\b(?:journalists?|reporters?|newspapers?|the press|national papers?|tv|television|the media|bbc|watchdog|go public|going public|viral)\b/] },
  { id: 'media_en_social', flag: 'media_threat', language: 'en', patterns: [
    /\b(?:post|posting|posted|put|putting|share|sharing|going|go|write|writing)\b[^.!?]{0,40}\b(?:on|to) (?:twitter|x|tiktok|facebook|instagram|reddit|youtube|linkedin|trustpilot|social media|review sites?)\b/,
    /\b(?:trustpilot|review sites?)\b/] },

  // ── legal_threat (a payment to one's own solicitor is conveyancing, not a threat)
  { id: 'legal_en_lawyer', flag: 'legal_threat', language: 'en', unlessSentence: /\b(?:transferred|transfer|paid|pay|sent|send|wired)\b/, patterns: [
    /(?<!power of )\b(?:lawyers?|attorneys?|solicitors?|barrister|legal (?:advice|counsel|representative))\b(?! general)/] },
  { id: 'legal_en_court', flag: 'legal_threat', language: 'en', patterns: [
    /\b(?:sue|suing|lawsuit|legal action|legal proceedings|small claims|court|class action|arbitration|tribunal|litigation)\b/] },
  { id: 'legal_en_police', flag: 'legal_threat', language: 'en', traits: ['police'], patterns: [
    /\bpolice report\b/, /\breport(?:ed|ing)? (?:it |this |you |them )?to (?:the )?police\b/,
    /\b(?:call|called|calling|contact|contacted|going to) the police\b/, /\baction fraud\b/] },

  // ── repeat_complaint (a recurring problem alone, "card blocked again", is not)
  { id: 'repeat_en_nth_complaint', flag: 'repeat_complaint', language: 'en', patterns: [
    /\b(?:2nd|second|3rd|third|4th|fourth|5th|fifth|6th|sixth|another|umpteenth|nth) (?:complaint|time (?:i'?m|i am|i have|i'?ve|that i'?ve) (?:called|complained|complaining|written|writing|asked|asking|contacted|rung|phoned|raised|chased)|time this (?:week|month))\b/] },
  { id: 'repeat_en_complained_before', flag: 'repeat_complaint', language: 'en', patterns: [
    /\b(?:already|previously) (?:complained|reported this|raised this|contacted you|called you|written to you)\b/,
    /\b(?:complained|called|rung|phoned|written|emailed|chased|disputed|raised) (?:about )?(?:this |it |you )?(?:before|twice|three times|four times|five times|several times|many times|multiple times|repeatedly|\d{1,2} times)\b/,
    /\b(?:i said|i told you|as i said) last time\b/, /\bcomplaint (?:reference|ref|number)\b/] },
  { id: 'repeat_en_no_callback', flag: 'repeat_complaint', language: 'en', patterns: [
    /\b(?:nobody|no one|no-one|never) (?:called|rang|got) (?:me )?back\b/, /\bstill (?:not|hasn'?t been|haven'?t been|isn'?t) (?:resolved|fixed|sorted)\b/] },

  // ── staff_misconduct
  { id: 'staff_en_rude', flag: 'staff_misconduct', language: 'en', patterns: [
    /\b(?:rude|rudely|abusive|shouted|yelled|screamed|swore at me|insulted|belittled|condescending|mocked me|laughed at me)\b/,
    /\bcalled me (?:a |an )?(?:'[a-z]{2,20}'|"[a-z]{2,20}"|stupid|an idiot|a liar|a thief|a criminal|a deadbeat|names)/,
    /\bgot (?:really |very |quite )?short with me\b/] },
  { id: 'staff_en_threatened', flag: 'staff_misconduct', language: 'en', patterns: [
    /\b(?:threatened (?:me|to)|that'?s a threat|threatening me|intimidat(?:ed|ing) me)\b/] },
  { id: 'staff_en_discrimination', flag: 'staff_misconduct', language: 'en', patterns: [
    /\b(?:discriminat(?:ed|ion|ory|ing)|racist|racism|sexist|homophobic)\b/,
    /\b(?:comment|comments|remark|remarks|joke|jokes) about my (?:accent|race|skin|colou?r|religion|age|disability|gender|weight|name)\b/] },
  { id: 'staff_en_mis_selling', flag: 'staff_misconduct', language: 'en', patterns: [
    /\b(?:mis-?sold|pressured|pressurised|pressured me|forced me to|forged|lied to me|lied about|misled me|tricked me|just sign it)\b/,
    /\b(?:relationship manager|adviser|advisor|banker|loan officer|staff member|salesman|saleswoman)\b[^.!?]{0,60}\bsold me\b/] },
];
