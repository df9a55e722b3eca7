import { bearerToken, hashToken, sameHash, tokenId } from './auth';

describe('token hashes', () => {
  const a = hashToken('whp_a');
  test('sameHash: equal digests match, a digest differing in its last digit or of another length does not (and never throws)', () => {
    expect(sameHash(a, hashToken('whp_a'))).toBe(true);
    const last = a.slice(0, 63) + (a[63] === '0' ? '1' : '0');
    expect(sameHash(a, last)).toBe(false);
    expect(sameHash(a, a.slice(0, 62))).toBe(false);
    expect(sameHash(a, 'not hex')).toBe(false);
  });
  test('a token id is a 12-digit prefix of the hash, not the hash', () => {
    expect(tokenId(a)).toBe(a.slice(0, 12));
    expect(tokenId(a)).toHaveLength(12);
  });
  test('bearer tokens are read from the Authorization header only in the Bearer form', () => {
    expect(bearerToken('Bearer whp_x')).toBe('whp_x');
    expect(bearerToken('Basic d2hwOng=')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
