import { createHmac } from 'node:crypto';
import { scrubIdNumbers } from './privacy';

const KEY = 'test-pseudonym-key-of-32-characters!';
// The pseudonym as the contract defines it (HMAC-SHA-256, base64url, first 32 characters).
const psn = (id: string) => `psn_${createHmac('sha256', KEY).update(id).digest('base64url').slice(0, 32)}`;

describe('an ID number typed into free text at the ingest boundary', () => {
  test('an 18-digit number becomes its pseudonym, the rest of the text is kept', () => {
    expect(scrubIdNumbers('伤者 32130219900307123X 送医', KEY)).toBe(`伤者 ${psn('32130219900307123X')} 送医`);
  });

  test('typed in full-width digits it becomes the same pseudonym', () => {
    expect(scrubIdNumbers('伤者３２１３０２１９９００３０７１２３X', KEY)).toBe(`伤者${psn('32130219900307123X')}`);
  });

  test('an old 15-digit number becomes the pseudonym of its 18-digit form', () => {
    // 320102850312123 → 320102 19 850312123 + check character 4 (GB 11643).
    expect(scrubIdNumbers('原身份证 320102850312123', KEY)).toBe(`原身份证 ${psn('320102198503121234')}`);
  });

  test('text with no run of 15 digits comes back as it was', () => {
    for (const text of ['宿迁市某建材有限公司', 'HR-2026-000123', '电话 13812345678', '']) expect(scrubIdNumbers(text, KEY)).toBe(text);
  });
});
