// Every scenario in the shipped library plays to an ending in the real app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, newPage, GOOD, reply } from './harness.mjs';

const DIST = path.resolve(process.env.DIST || '../../dist');
const files = JSON.parse(fs.readFileSync(path.join(DIST, 'scenarios/index.json'), 'utf8'));
let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

for (const file of files) {
  const id = file.replace(/\.toml$/, '');
  test(`${id} plays to an ending`, async () => {
    const page = await newPage(browser);
    await page.goto(`${srv.base}/?lang=en&seed=1#/play/${id}`);
    await page.getByRole('log').locator('.msg.customer').first().waitFor();
    for (let i = 0; i < 20 && !(await page.locator('.summary').count()); i++) {
      await reply(page, GOOD.en);
      if (i === 0 && id.startsWith('product-')) {
        const fb = page.getByRole('region', { name: 'Feedback' });
        assert.equal(await fb.locator('[data-principle="facts"]').count(), 1, 'a product question judges facts');
      }
    }
    const summary = page.locator('.summary');
    await summary.waitFor({ timeout: 3000 });
    assert.match(await summary.locator('.ending').getAttribute('data-outcome'), /^(resolved|escalated|lost)$/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('the library\'s filters stay as left across a reload and Back from a scenario', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en`);
  await page.locator('.cards .card').first().waitFor();
  const all = await page.locator('.cards .card').count();
  await page.getByRole('combobox', { name: 'Kind' }).selectOption('product');
  await page.waitForFunction((n) => document.querySelectorAll('.cards .card').length < n, all);
  const product = await page.locator('.cards .card').count();
  const same = async (what) => {
    await page.locator('.cards .card').first().waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Kind' }).inputValue(), 'product', what);
    assert.equal(await page.locator('.cards .card').count(), product, what);
  };
  await page.reload();
  await same('after a reload');
  await page.locator('.cards .card a').first().click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.goBack();
  await same('after Back from a scenario');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('kind and product: only the kind\'s products are offered; an empty library says how to widen it', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en`);
  await page.locator('.cards .card').first().waitFor();
  const kind = page.getByRole('combobox', { name: 'Kind' });
  const product = page.getByRole('combobox', { name: 'Product' });
  const offered = () => product.locator('option').evaluateAll((os) => os.map((o) => o.value));
  const kinds = () => page.locator('.cards .card').evaluateAll((cs) => [...new Set(cs.map((c) => c.dataset.kind))]);
  assert.deepEqual(await offered(), ['', 'chiller', 'f40', 'afg']);
  // A product, then "objection" (异议): the objections show, the product back to "All"; an
  // objection is about no product, so none is offered.
  await product.selectOption('f40');
  await page.waitForFunction(() => [...document.querySelectorAll('.cards .card')].every((c) => c.dataset.kind === 'kind.product'));
  await kind.selectOption('objection');
  await page.waitForFunction(() => document.querySelectorAll('.cards .card').length > 0
    && [...document.querySelectorAll('.cards .card')].every((c) => c.dataset.kind === 'kind.objection'));
  assert.equal(await product.inputValue(), '');
  assert.deepEqual(await offered(), ['']);
  assert.ok(await product.isDisabled(), 'no product to choose among objections');
  assert.doesNotMatch(page.url(), /product=/);
  // Product questions: every product again.
  await kind.selectOption('product');
  await page.waitForFunction(() => !document.querySelector('select:disabled'));
  assert.deepEqual(await offered(), ['', 'chiller', 'f40', 'afg']);
  assert.deepEqual(await kinds(), ['kind.product']);
  // A link with both (made before, or by hand): the product is dropped, the objections show.
  await page.goto(`${srv.base}/?lang=en&kind=objection&product=f40#/`);
  await page.waitForFunction(() => document.querySelectorAll('.cards .card').length > 0);
  assert.deepEqual(await kinds(), ['kind.objection']);
  assert.equal(await product.inputValue(), '');
  assert.ok(await product.isDisabled());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
