/**
 * A minimal traditional → simplified Chinese character table: the characters that occur in the classifier's
 * Chinese lexicons (flags, products, issues, kind cues, amounts), so that HK/TW text triggers the same rules.
 * It is not a general converter (no phrase-level mapping); characters that are the same in both scripts are absent.
 */

/** Pairs written as `traditional simplified`, grouped loosely by topic to make review easy. */
const PAIRS = [
  // fraud, scams, theft
  '盜盗 騙骗 詐诈 偽伪 竊窃 賊贼 釣钓 魚鱼 鏈链 隆隆 掛挂 洩泄 漏漏 異异 顯显',
  // money, accounts, banks, payments
  '銀银 錢钱 帳账 賬账 號号 戶户 額额 費费 轉转 匯汇 幣币 貸贷 還还 款款 資资 餘余 債债 賠赔 償偿 虧亏 損损 蝕蚀 贖赎',
  '買买 賣卖 價价 儲储 蓄蓄 積积 結结 清清 繳缴 納纳 滯滞 違违 約约 續续 扣扣 櫃柜 檯台 臺台 車车 險险 證证 券券 財财',
  '萬万 億亿 兩两 塊块 圓圆 鎊镑 歐欧 幾几 爾尔 厘厘',
  // regulators, media, legal
  '監监 總总 局局 會会 協协 訴诉 訟讼 師师 律律 報报 紙纸 視视 聞闻 記记 傳传 媒媒 博博 頭头 條条 貓猫 舉举 權权 維维 狀状 專专 線线 熱热 訪访 衛卫 處处 罰罚 審审',
  // staff and conduct
  '員员 態态 導导 誤误 銷销 強强 綁绑 搭搭 簽签 飛飞 單单 罵骂 脅胁 惡恶 遜逊 歧歧 經经 紀纪 領领 職职 謊谎 瞞瞒 隱隐 廣广 宣宣 騷骚 擾扰 騷骚',
  // vulnerability, health, life events
  '醫医 療疗 術术 癌癌 鬱郁 憂忧 殘残 聾聋 啞哑 癡痴 護护 識识 聽听 見见 歲岁 齡龄 輪轮 難难 窮穷 鍋锅 養养 喪丧 離离 遺遗 囑嘱 繼继 屬属 業业 崗岗 裁裁 協协 商商 個个 過过 世世 親亲 爺爷 媽妈 婦妇',
  // self-harm
  '殺杀 絕绝 樓楼 藥药 剋克 尋寻 給给 們们 看看',
  // access and digital banking
  '凍冻 鎖锁 風风 無无 斷断 動动 碼码 驗验 登登 錄录 閃闪 網网 絡络 機机 頁页 設设 註注 冊册 臨临 隊队 廳厅 啟启 開开 關关 閉闭 換换 補补 辦办 離离 檢检 詢询 遞递 郵邮 遲迟 營营 運运 錯错 潰溃',
  // products and issues
  '產产 務务 徵征 議议 爭争 辯辩 錄录 紀纪 額额 費费 率率 息息 亂乱 點点 時时 間间 實实 際际 續续 構构 據据 歸归 則则 規规 選选 擇择 種种 簡简 詳详 細细 貨货 齊齐',
  // kind and sentiment cues
  '電电 話话 問问 題题 請请 謝谢 讚赞 揚扬 滿满 優优 質质 幫帮 樣样 聯联 饋馈 應应 該该 現现 麼么 嗎吗 沒没 為为 從从 對对 這这 說说 讓让 覺觉 氣气 厲厉 歡欢 鐘钟 煩烦 頓顿 憤愤 惱恼 於于 與与 將将 發发 擊击 體体 樂乐 誰谁 憑凭 嚴严 適适 遠远 邊边 裡里 後后 長长 門门 麵面 筆笔 熱热 還还 剛刚 張张 隻只 麼么 啊啊',
] as const;

function buildTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  for (const group of PAIRS) {
    for (const pair of group.split(' ')) {
      const [traditional, simplified] = Array.from(pair);
      if (traditional !== undefined && simplified !== undefined && traditional !== simplified) {
        table.set(traditional, simplified);
      }
    }
  }
  return table;
}

/** Traditional character → its simplified form, for the characters the lexicons use. */
export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = buildTable();

/** Replaces the traditional characters of the table with their simplified forms; length in code points is kept. */
export function toSimplified(text: string): string {
  let changed = false;
  let output = '';
  for (const character of text) {
    const simplified = TRADITIONAL_TO_SIMPLIFIED.get(character);
    if (simplified !== undefined) {
      changed = true;
      output += simplified;
    } else {
      output += character;
    }
  }
  return changed ? output : text;
}
