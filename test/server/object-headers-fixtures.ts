/** What the object-headers tables share: a row's expectation, honoured (with its proof) or refused. */
import type { ObjectAccess } from '../../storage';
import type { s3 } from '../helpers/s3-inject';
import { OWNER } from './auth-fixtures';

export type Res = Awaited<ReturnType<typeof s3>>;

/** What a row's proof sees: the response, a HEAD of the result (checksum mode on), its ACL. */
export interface Outcome { res: Res; head: Res; access?: ObjectAccess | undefined }

export type Expect =
  | { honoured: (o: Outcome) => boolean; what: string }
  | { refused: number; code: string };

export const OWNER_ID = OWNER.id;
export const KEY_B64 = Buffer.alloc(32, 7).toString('base64');
