// Connects the back office to registration's dossier hook: counters and notifications are written in
// the same transaction as every dossier change. Registered once per process (buildApp does it).
import { addDossierChangedListener, addTrialWipedListener } from '../registration/events.ts';
import { countDossierChange } from './counters.ts';
import { deleteCounters } from './stats.repository.ts';
import { notifyDossierChange } from '../jobs/notifications.ts';

let registered = false;

export function registerBackOfficeListeners(): void {
  if (registered) return;
  registered = true;
  addDossierChangedListener(async (trx, before, after, change) => {
    await countDossierChange(trx, before, after);
    await notifyDossierChange(trx, before, after, change.at, change.recipient);
  });
  // The trial's dossiers are deleted in bulk: its counters go with them.
  addTrialWipedListener(async (trx, wiped) => {
    await deleteCounters(trx, wiped.examYear, 'trial.');
  });
}
