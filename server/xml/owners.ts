/** Owner elements: the canonical ID and display name of a user. */
import type { Services } from '../context';
import type { XmlNode } from './xml';

export function ownerXml(services: Services, id: string): XmlNode {
  const user = services.usersById.get(id);
  return { ID: id, DisplayName: user?.displayName ?? id };
}
