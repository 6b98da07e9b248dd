// Small enhancements only: every page works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // Avoid double submission of a form by a double click. Disabled after the form's data was
  // taken: a button disabled during the submit event would drop its own name and value (the
  // queue's bulk form says which change to make by the button pressed).
  for (const form of document.querySelectorAll('form')) {
    form.addEventListener('submit', () => {
      setTimeout(() => {
        for (const button of form.querySelectorAll('button[type="submit"]')) {
          button.disabled = true;
        }
      }, 0);
    });
  }
});
