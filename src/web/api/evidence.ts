// Evidence files (certificates, priority papers) through the dossier module's upload API
// (src/contracts/dossier.ts): the candidate uploads where the claim is made, the point sees them beside
// the claim. Files are served only through the policy (scoped, audited), never from a public address.
import { call, callWith, urlOf } from './call.ts';
import * as dossier from '../../contracts/dossier.ts';
import type { ResponseOf } from '../../contracts/operation.ts';

export type UploadInfo = ResponseOf<typeof dossier.uploadOwnEvidence>;
export type EvidencePurpose = (typeof dossier.EVIDENCE_PURPOSES)[number];

export const evidenceApi = {
  own: () => call(dossier.getOwnDossier, {}).then((r) => r.uploads.filter((u) => u.kind === 'evidence')),
  upload: (purpose: EvidencePurpose, file: File) => {
    const form = new FormData();
    // the purpose comes before the file: the server reads the fields in order
    form.append('purpose', purpose);
    form.append('file', file, file.name || 'minh-chung');
    return callWith(dossier.uploadOwnEvidence, {}, { form, retries: 1 }).then((r) => r.data);
  },
  ownUrl: (uploadId: string) => urlOf(dossier.ownEvidence, { params: { uploadId } }),
  ofDossier: (dossierId: string) => call(dossier.getDossier, { params: { dossierId } }).then((r) => r.uploads.filter((u) => u.kind === 'evidence')),
  url: (dossierId: string, uploadId: string) => urlOf(dossier.evidence, { params: { dossierId, uploadId } }),
};
