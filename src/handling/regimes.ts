/**
 * Regimes as data (DOMAIN.md §1): the clocks each regulator sets. This first slice carries each regime's
 * acknowledgement and final-response clocks; business days skip weekends only, and public holidays, China's
 * make-up working days, extensions and pauses come with the handling workflow (issue 4).
 */
import type { Regime } from '../contracts/index.js';

export interface ClockRule {
  clock: 'acknowledge' | 'final_response';
  days: number;
  dayType: 'calendar' | 'business';
}

export const REGIME_CLOCKS: Record<Regime, readonly ClockRule[]> = {
  cn_nfra: [{ clock: 'final_response', days: 15, dayType: 'calendar' }],
  uk_fca: [{ clock: 'final_response', days: 56, dayType: 'calendar' }],
  uk_fca_psd: [{ clock: 'final_response', days: 15, dayType: 'business' }],
  eu_psd2: [{ clock: 'final_response', days: 15, dayType: 'business' }],
  us_cfpb: [{ clock: 'final_response', days: 15, dayType: 'calendar' }],
  hk_hkma: [
    { clock: 'acknowledge', days: 7, dayType: 'calendar' },
    { clock: 'final_response', days: 30, dayType: 'calendar' },
  ],
  au_asic: [
    { clock: 'acknowledge', days: 1, dayType: 'business' },
    { clock: 'final_response', days: 30, dayType: 'calendar' },
  ],
};
