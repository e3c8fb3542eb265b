// Places by name for the pickers (src/contracts/places.ts): each province's communes and schools fetched
// once per page load and kept (the server lets the browser cache them too).
import { useEffect, useState } from 'react';
import { call } from './call.ts';
import * as places from '../../contracts/places.ts';
import type { ResponseOf } from '../../contracts/operation.ts';

export type CommuneEntry = ResponseOf<typeof places.listCommunes>['communes'][number];
export type SchoolEntry = ResponseOf<typeof places.listSchools>['schools'][number];

const communes = new Map<string, Promise<CommuneEntry[]>>();
const schools = new Map<string, Promise<SchoolEntry[]>>();

function once<T>(cache: Map<string, Promise<T[]>>, key: string, load: () => Promise<T[]>): Promise<T[]> {
  let p = cache.get(key);
  if (!p) {
    p = load();
    cache.set(key, p);
    // a failed fetch is tried again next time
    p.catch(() => cache.delete(key));
  }
  return p;
}

export const placesApi = {
  communes: (provinceCode: string) => once(communes, provinceCode, () => call(places.listCommunes, { params: { provinceCode } }).then((r) => r.communes)),
  schools: (provinceCode: string) => once(schools, provinceCode, () => call(places.listSchools, { params: { provinceCode } }).then((r) => r.schools)),
};

/** A province's list for a picker: [] until it arrives (or when no province is chosen). */
export function usePlaceList<T>(load: (provinceCode: string) => Promise<T[]>, provinceCode: string): { list: T[]; loading: boolean } {
  const [state, setState] = useState<{ key: string; list: T[] }>({ key: '', list: [] });
  useEffect(() => {
    if (!/^\d{2}$/.test(provinceCode)) return;
    let live = true;
    load(provinceCode).then(
      (list) => live && setState({ key: provinceCode, list }),
      () => live && setState({ key: provinceCode, list: [] }),
    );
    return () => {
      live = false;
    };
  }, [load, provinceCode]);
  const ready = state.key === provinceCode;
  return { list: ready ? state.list : [], loading: /^\d{2}$/.test(provinceCode) && !ready };
}
