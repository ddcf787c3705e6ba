const TRANSLITERATION: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/**
 * Whether a VIN (车架号) is well formed: 17 characters of digits and capital letters except I, O
 * and Q, whose 9th character is the check digit of GB 16735 (the same as ISO 3779 / FMVSS 115),
 * so one mistyped character is caught.
 */
export function isValidVin(vin: string): boolean {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return false;
  const sum = [...vin].reduce((total, c, i) => total + (/\d/.test(c) ? Number(c) : (TRANSLITERATION[c] ?? 0)) * (WEIGHTS[i] ?? 0), 0);
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return vin[8] === check;
}

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/**
 * Whether a mainland licence plate (车牌) is well formed: a province character, the city letter,
 * then 5 characters (6 for new-energy plates) of digits and letters without I and O, the last of
 * which may be 学 or 挂. Spaces and the dot some people type (沪A·12345) are removed first.
 */
export function normalizePlate(raw: string): string | null {
  const plate = raw.normalize('NFKC').replace(/[\s·•.]/g, '').toUpperCase();
  const pattern = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9学挂]$`, 'u');
  return pattern.test(plate) ? plate : null;
}
