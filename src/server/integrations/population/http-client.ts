// The population link over HTTP: one request per call, no retries (the job queue retries).
import { HttpLink, type HttpLinkOptions } from '../http-link.ts';
import { POPULATION_PATHS, giveBackResponse, verifyResponse } from './messages.ts';
import { fromDeliveryResponse, fromVerifyResponse, toGiveBackRequest, toVerifyRequest } from './mapping.ts';
import type { DeliveryResult, EducationRecord, IdentityCheckResult, IdentityToVerify, PopulationLink } from './population.ts';

export class HttpPopulationLink implements PopulationLink {
  private readonly http: HttpLink;

  constructor(private readonly o: HttpLinkOptions) {
    this.http = new HttpLink(o);
  }

  async verify(input: IdentityToVerify): Promise<IdentityCheckResult> {
    const { data } = await this.http.call('POST', POPULATION_PATHS.verify, toVerifyRequest(input), verifyResponse);
    return fromVerifyResponse(data!, this.o.clock());
  }

  async giveBack(record: EducationRecord): Promise<DeliveryResult> {
    const { data } = await this.http.call('POST', POPULATION_PATHS.giveBack, toGiveBackRequest(record), giveBackResponse);
    return fromDeliveryResponse(data!);
  }
}
