// The admission fee (lệ phí xét tuyển) as rules: the amount for a number of wishes, the payment group a
// candidate's province belongs to, and where an instant stands against that group's payment window. Pure
// functions: the server and the browser use the same ones.

export interface PaymentGroup {
  code: string;
  name: string;
  provinceCodes: readonly string[];
  /** ISO instants */
  opensAt: string;
  closesAt: string;
}

export type PaymentWindowState = 'not_open' | 'open' | 'closed';

/** The fee for a number of wishes (VND, whole đồng). */
export function feeFor(feePerWishVnd: number, wishes: number): number {
  if (!Number.isInteger(feePerWishVnd) || feePerWishVnd < 0 || !Number.isInteger(wishes) || wishes < 0) throw new RangeError('fee and wishes must be whole and not negative');
  return feePerWishVnd * wishes;
}

/**
 * The group of a candidate: the one listing their province. A group may list today's (2025) province
 * statistics codes or the exam department codes; the 2025 province is tried first.
 */
export function paymentGroupOf<G extends PaymentGroup>(groups: readonly G[], where: { provinceCode: string | null; departmentCode: string }): G | null {
  if (where.provinceCode) {
    const g = groups.find((x) => x.provinceCodes.includes(where.provinceCode!));
    if (g) return g;
  }
  return groups.find((x) => x.provinceCodes.includes(where.departmentCode)) ?? null;
}

export function paymentWindowState(g: Pick<PaymentGroup, 'opensAt' | 'closesAt'>, now: Date): PaymentWindowState {
  const t = now.getTime();
  if (t < Date.parse(g.opensAt)) return 'not_open';
  if (t >= Date.parse(g.closesAt)) return 'closed';
  return 'open';
}

/**
 * What a verified, successful payment does to the wishes it covers. A payment made at the gateway inside
 * the window counts, even when its notification comes late; one made after the close is kept for a refund.
 * A second payment of wishes already paid is a duplicate (refunded by the ministry).
 */
export function paymentEffect(o: { payDate: Date; group: Pick<PaymentGroup, 'closesAt'> | null; alreadyPaid: boolean }): 'apply' | 'duplicate' | 'after_window' {
  if (o.alreadyPaid) return 'duplicate';
  if (o.group && o.payDate.getTime() >= Date.parse(o.group.closesAt)) return 'after_window';
  return 'apply';
}
