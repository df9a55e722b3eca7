/**
 * Today as the hub reckons it: the calendar day in China (Asia/Shanghai), whatever zone the
 * browser is set to. A re-check dated by a browser on UTC between 00:00 and 08:00 China time
 * would fall on yesterday, before a letter issued today.
 */
export function chinaToday(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }); // sv-SE: YYYY-MM-DD
}
