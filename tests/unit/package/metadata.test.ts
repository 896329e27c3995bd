import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { SupportProviderApi } from '../../../credentials/SupportProviderApi.credentials';

const ROOT = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	repository: { type: string; url: string };
	bugs: { url: string };
	homepage: string;
	engines: Record<string, string>;
};
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
	heading
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1].trim())));

/** https://github.com/<owner>/<repo>, from `git+https://github.com/<owner>/<repo>.git`. */
const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

const codexUrls = readdirSync(join(ROOT, 'nodes'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
	.flatMap((entry) => {
		const codex = JSON.parse(readFileSync(join(ROOT, 'nodes', entry.name, `${entry.name}.node.json`), 'utf8')) as {
			resources: { primaryDocumentation: Array<{ url: string }> };
		};
		return codex.resources.primaryDocumentation.map(({ url }) => ({ where: `${entry.name}.node.json`, url }));
	});

describe('package metadata and documentation links', () => {
	it('names one GitHub repository in repository, bugs and homepage', () => {
		expect(manifest.repository.type).toBe('git');
		expect(repository).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
		expect(manifest.bugs.url).toBe(`${repository}/issues`);
		expect(manifest.homepage).toBe(`${repository}#readme`);
	});

	it.each([...codexUrls, { where: 'SupportProviderApi credential', url: new SupportProviderApi().documentationUrl }])(
		'$where links to a heading of the README in that repository',
		({ url }) => {
			const [base, hash] = url.split('#');
			expect(base).toBe(repository);
			expect(anchors, url).toContain(hash);
		},
	);

	it('tells an older Node what to do before npm installs anything (engine-strict in .npmrc)', () => {
		expect(readFileSync(join(ROOT, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
		// npm prints the whole engines object when it refuses: the hint travels with the version.
		expect(manifest.engines.node).toBe('>=22.16');
		expect(Object.values(manifest.engines).join(' ')).toContain('. scripts/node-env.sh');
	});
});
