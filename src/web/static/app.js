// Small enhancements only: every page works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // Avoid double submission of a form by a double click.
  for (const form of document.querySelectorAll('form')) {
    form.addEventListener('submit', () => {
      for (const button of form.querySelectorAll('button[type="submit"]')) {
        button.disabled = true;
      }
    });
  }
});
