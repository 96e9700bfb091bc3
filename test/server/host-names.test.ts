/**
 * The Host parsed for the bucket (virtual-hosted style) and for the website endpoint: each
 * function reuses the previous request's answer when the Host and the base domains repeat
 * (issue 19). Interleaved hosts and two servers' base domains must give what a fresh parse gives.
 */
import t from 'tap';
import { bucketFromHost, normaliseBaseDomains } from '../../server/http/addressing';
import { websiteHost } from '../../server/http/website-host';

const hosts = [
  'photos.localhost:9000', 'photos.localhost:9000', 'localhost:9000', 'PHOTOS.LOCALHOST', 'a.b.s3.localhost', 'photos.example.test',
  'site.s3-website.localhost:9000', 'site.s3-website-eu-west-1.localhost', 's3-website.localhost', '[::1]:9000', '127.0.0.1:9000',
  'site.s3-website.example.test', 'x.s3-website-.localhost', 'photos.localhost.', undefined, '',
];

t.test('bucket and website from the Host: the reused answer is a fresh parse\'s', async (t) => {
  const servers = [normaliseBaseDomains([]), normaliseBaseDomains(['example.test'])];
  // Each answer parsed afresh first: another Host just before, so nothing is reused.
  const fresh = (host: string | undefined, bases: string[]) => {
    bucketFromHost('other.invalid', bases);
    websiteHost('other.invalid', bases);
    return JSON.stringify([bucketFromHost(host, bases), websiteHost(host, bases)]);
  };
  const expected = servers.map((bases) => hosts.map((host) => fresh(host, bases)));
  let seed = 3;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < 3000; i++) {
    const h = next() % hosts.length;
    const s = next() % servers.length;
    const host = hosts[h];
    const bases = servers[s] as string[];
    const site = websiteHost(host, bases);
    const got = JSON.stringify([bucketFromHost(host, bases), site]);
    if (got !== expected[s]?.[h]) t.fail(`${host} under ${bases.join(',')}: ${got}`);
    if (site !== undefined && !Object.isFrozen(site)) t.fail('a shared website answer is frozen');
  }
  t.equal(bucketFromHost('photos.localhost:9000', servers[0] as string[]), 'photos');
  t.equal(bucketFromHost('photos.example.test', servers[0] as string[]), undefined, 'not a base domain of the first server');
  t.equal(bucketFromHost('photos.example.test', servers[1] as string[]), 'photos');
  t.same(websiteHost('site.s3-website-eu-west-1.localhost', servers[0] as string[]), { bucket: 'site', region: 'eu-west-1' });
  t.same(websiteHost('site.s3-website.example.test', servers[1] as string[]), { bucket: 'site', region: undefined });
  t.equal(websiteHost('site.s3-website.example.test', servers[0] as string[]), undefined);
});
