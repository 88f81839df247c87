/**
 * Text normalization for matching word lists, pure. Merchants dodge filters with full-width
 * letters (ＢＥＳＴ), traditional characters (國家級), case (BeSt) and separators between characters
 * (最.好, 最 好, 第_一, b.e.s.t). Text becomes a sequence of units: every Han (or other non-Latin)
 * character is a unit, every run of Latin letters or digits is a unit, separators vanish. A term
 * matches a contiguous run of units, so `best` matches "the best" but not "asbestos", and `第1`
 * matches "第 1" but not "第10款". Each unit remembers where it came from, for the evidence.
 */

// Cheap traditional → simplified: common characters, and those of the built-in word lists.
const T2S_PAIRS =
  '國国級级頂顶極极獨独專专銷销價价廣广網网藥药醫医療疗電电話话絡络槍枪彈弹錢钱幣币貨货無无號号優优質质檢检測测驗验證证書书產产門门購购買买賣卖貸贷銀银碼码聯联繫系係系訊讯機机構构學学習习體体關关於于這这個个時时間间開开發发設设計计說说讀读寫写點点擊击選选擇择標标題题單单複复雜杂顏颜數数現现熱热傳传統统經经濟济團团隊队會会員员萬万億亿為为與与從从來来對对應应當当們们樣样種种類类別别長长東东車车馬马魚鱼鳥鸟麥麦黃黄齊齐龍龙龜龟頭头權权絕绝滿满靈灵癒愈癥症減减劑剂械械偽伪鈔钞護护駕驾駛驶賭赌獎奖漢汉語语線线寶宝貝贝淨净潔洁膚肤實实創创舊旧鑽钻錶表鐘钟鍋锅鋼钢鐵铁銅铜鋁铝紙纸筆笔燈灯顯显視视聽听覺觉親亲愛爱歡欢樂乐嬰婴兒儿婦妇孫孙飾饰襪袜褲裤裝装帶带傷伤擴扩張张藝艺術术圖图畫画櫃柜樓楼廳厅臥卧廚厨衛卫盤盘壺壶蓋盖節节氣气溫温濕湿乾干韓韩歐欧紀纪際际總总務务議议讓让認认識识劃划區区縣县鄉乡鎮镇島岛灣湾導导師师協协問问麗丽豐丰陳陈雙双邊边過过還还進进運运達达遠远適适遲迟邁迈範范圍围園园圓圆鬆松緊紧細细織织綿绵絲丝絨绒緞缎纖纤維维續续編编練练組组紅红綠绿藍蓝鑰钥鎖锁鏡镜錄录鑑鉴鑒鉴鹽盐蝦虾雞鸡鴨鸭鵝鹅豬猪餅饼麵面飯饭飲饮湯汤醬酱鹹咸嚴严違违規规罰罚殺杀衝冲鬥斗戰战爭争軍军艦舰險险讚赞誇夸獲获勝胜贏赢輸输殺杀彙汇匯汇災灾難难懷怀歲岁爺爷爾尔邊边遊游戲戏絕绝緣缘揚扬據据證证壓压盜盗騙骗詐诈貪贪竊窃監监聽听驚惊嚇吓爐炉碼码錯错鈕钮鍵键盤盘頻频廠厂裡里臺台颱台擔担黨党';

const T2S = new Map<string, string>();
for (let i = 0; i + 1 < T2S_PAIRS.length; i += 2) T2S.set(T2S_PAIRS[i]!, T2S_PAIRS[i + 1]!);

/** Full-width → half-width and compatibility forms (NFKC), lower case, traditional → simplified; one character at a time. */
export function foldChar(ch: string): string {
  const folded = ch.normalize('NFKC').toLowerCase();
  return folded.length === 1 ? (T2S.get(folded) ?? folded) : [...folded].map((c) => T2S.get(c) ?? c).join('');
}

/** The whole string folded (no separators removed): for phone numbers, ids and URLs. */
export function foldText(text: string): string {
  let out = '';
  for (const ch of text) out += foldChar(ch);
  return out;
}

export type Units = {
  units: string[];
  /** Offsets in the original text of each unit's first character and just past its last. */
  starts: number[];
  ends: number[];
};

const WORD_CHAR = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}0-9]/u;
const UNIT_CHAR = /[\p{L}\p{N}]/u;
const isDigit = (c: string) => c >= '0' && c <= '9';

/** Splits folded text into units (see the file comment). */
export function toUnits(text: string): Units {
  type Token = { text: string; start: number; end: number; word: boolean; separatedBefore: boolean; spelled?: boolean };
  const tokens: Token[] = [];
  let separated = true;
  let offset = 0;
  for (const original of text) {
    const start = offset;
    offset += original.length;
    for (const c of foldChar(original)) {
      if (WORD_CHAR.test(c)) {
        const last = tokens[tokens.length - 1];
        // A word continues while letters follow letters or digits follow digits; "no1" is [no, 1].
        if (last && last.word && !separated && isDigit(c) === isDigit(last.text[last.text.length - 1]!)) {
          last.text += c;
          last.end = offset;
        } else tokens.push({ text: c, start, end: offset, word: true, separatedBefore: separated });
        separated = false;
      } else if (UNIT_CHAR.test(c)) {
        tokens.push({ text: c, start, end: offset, word: false, separatedBefore: separated });
        separated = false;
      } else separated = true;
    }
  }
  // Letters spelled out one by one with separators ("b.e.s.t", "f r e e") become one word.
  const merged: Token[] = [];
  const singleLetter = (t: Token) => t.word && t.text.length === 1 && !isDigit(t.text);
  for (const token of tokens) {
    const last = merged[merged.length - 1];
    if (last && singleLetter(token) && token.separatedBefore && /^[^0-9]+$/.test(last.text) && last.word && (last.text.length === 1 || last.spelled)) {
      last.text += token.text;
      last.end = token.end;
      last.spelled = true;
    } else merged.push({ ...token, spelled: false });
  }
  return { units: merged.map((t) => t.text), starts: merged.map((t) => t.start), ends: merged.map((t) => t.end) };
}

export type TermMatch = { term: string; evidence: string; start: number; end: number };

/** Terms prepared once: each as its units. */
export type TermList = { terms: { term: string; units: string[] }[]; allow: string[][] };

export function prepareTerms(terms: readonly string[], allow: readonly string[] = []): TermList {
  const prep = (list: readonly string[]) =>
    list.map((term) => ({ term, units: toUnits(term).units })).filter((t) => t.units.length > 0);
  return { terms: prep(terms), allow: prep(allow).map((a) => a.units) };
}

function matchesAt(units: string[], at: number, needle: string[]): boolean {
  if (at < 0 || at + needle.length > units.length) return false;
  for (let k = 0; k < needle.length; k++) if (units[at + k] !== needle[k]) return false;
  return true;
}

/**
 * Every occurrence of a term in `text` that no allow-list entry covers (最 in 最近 is allowed when
 * 最近 is). Longer terms first; an occurrence inside one already reported is not reported again.
 */
export function findTerms(text: string, list: TermList): TermMatch[] {
  if (!text || list.terms.length === 0) return [];
  const { units, starts, ends } = toUnits(text);
  const taken: boolean[] = new Array(units.length).fill(false);
  const found: TermMatch[] = [];
  const byLength = [...list.terms].sort((a, b) => b.units.length - a.units.length);
  for (const { term, units: needle } of byLength) {
    for (let i = 0; i + needle.length <= units.length; i++) {
      if (!matchesAt(units, i, needle)) continue;
      if (taken.slice(i, i + needle.length).every(Boolean)) continue;
      const allowed = list.allow.some((a) => {
        for (let s = Math.max(0, i + needle.length - a.length); s <= i; s++) if (matchesAt(units, s, a)) return true;
        return false;
      });
      if (allowed) continue;
      for (let k = i; k < i + needle.length; k++) taken[k] = true;
      const start = starts[i]!;
      const end = ends[i + needle.length - 1]!;
      found.push({ term, evidence: text.slice(start, end), start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Plain text of sanitized description HTML: tags become spaces, common entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp|#39);/gi, (_m, e: string) => {
      const lower = e.toLowerCase();
      if (lower.startsWith('#')) {
        const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[lower] ?? ' ';
    })
    .replace(/\s+/g, ' ')
    .trim();
}
