// Parse every equation given on stdin (a JSON list of {where, tex, display}) with KaTeX; print each error and exit 1 if any.
const katex = require(process.env.KATEX_MODULE || 'katex');
const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
let bad = 0;
for (const it of items) {
  try { katex.renderToString(it.tex, {displayMode: it.display, throwOnError: true, strict: 'ignore'}); }
  catch (e) { bad++; console.log(`${it.where}: ${e.message}`); }
}
console.log(`katex ${katex.version}: ${items.length} equation(s) parsed, ${bad} error(s)`);
process.exit(bad ? 1 : 0);
