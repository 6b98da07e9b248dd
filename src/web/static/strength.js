// Password strength estimate shown while typing, for fields marked data-strength-meter. A
// rough guide only: the server's policy decides. Without this file the rules above the field
// still say everything that is checked.
'use strict';
(() => {
  const COMMON = ['password', 'qwerty', '123456', 'letmein', 'welcome', 'admin', 'iloveyou',
                  'monkey', 'dragon', 'football', 'rampart', 'helpdesk'];
  // Bits: length times log2 of the alphabet the characters come from, less for repeats,
  // sequences and well-known words.
  function estimateBits(password) {
    const chars = Array.from(password);
    if (chars.length === 0) return 0;
    let pool = 0;
    if (/[a-z]/.test(password)) pool += 26;
    if (/[A-Z]/.test(password)) pool += 26;
    if (/[0-9]/.test(password)) pool += 10;
    if (/[^a-zA-Z0-9]/.test(password)) pool += 33;
    if (/[^\x00-\x7f]/.test(password)) pool += 100;
    let effective = 0;
    for (let i = 0; i < chars.length; i++) {
      const prev = i > 0 ? chars[i - 1].codePointAt(0) : -10;
      const code = chars[i].codePointAt(0);
      // A repeated or consecutive character adds little.
      effective += (code === prev || Math.abs(code - prev) === 1) ? 0.25 : 1;
    }
    let bits = effective * Math.log2(Math.max(pool, 2));
    const lower = password.toLowerCase();
    for (const word of COMMON) {
      if (lower.includes(word)) bits -= word.length * 3;
    }
    return Math.max(0, Math.round(bits));
  }
  function describe(bits) {
    if (bits < 40) return 'Strength: weak';
    if (bits < 64) return 'Strength: fair';
    if (bits < 90) return 'Strength: good';
    return 'Strength: strong';
  }
  document.addEventListener('DOMContentLoaded', () => {
    for (const input of document.querySelectorAll('input[data-strength-meter]')) {
      const ids = (input.getAttribute('aria-describedby') || '').split(/\s+/);
      const out = ids.map((id) => document.getElementById(id))
        .find((el) => el && el.classList.contains('strength'));
      if (!out) continue;
      input.addEventListener('input', () => {
        if (input.value.length === 0) {
          out.hidden = true;
          return;
        }
        const bits = estimateBits(input.value);
        out.textContent = describe(bits) + ' (about ' + bits + ' bits; the rules above decide)';
        out.dataset.level = bits < 40 ? 'weak' : bits < 64 ? 'fair' : bits < 90 ? 'good' : 'strong';
        out.hidden = false;
      });
    }
  });
})();
