{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="security-title">
  <h1 id="security-title">Security settings</h1>
  {{#SAVED}}<p class="notice" role="status">The security settings were saved.</p>{{/SAVED}}
  {{#ERRORS}}<div class="alert" role="alert">
    <h2>Nothing was saved. Please fix:</h2>
    <ul>{{#ERROR}}<li><a href="#{{FIELD_ID}}">{{LABEL}}</a>: {{TEXT}}</li>{{/ERROR}}</ul>
  </div>{{/ERRORS}}
  <form method="post" action="/admin/security" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    {{#STAFF}}<fieldset class="stack">
      <legend>Staff passwords (owners, admins, agents)</legend>
      <label for="staff.min_length">Minimum length for password-only accounts (at least 8; NIST advises 15)</label>
      <input id="staff.min_length" name="staff.min_length" inputmode="numeric" required maxlength="6" value="{{MIN_LENGTH}}">
      <label for="staff.min_length_with_second_factor">Minimum length with two-factor authentication (at least 8)</label>
      <input id="staff.min_length_with_second_factor" name="staff.min_length_with_second_factor" inputmode="numeric" required maxlength="6" value="{{MIN_LENGTH_2FA}}">
      <label for="staff.history">Earlier passwords that may not be reused (0 to 24)</label>
      <input id="staff.history" name="staff.history" inputmode="numeric" required maxlength="6" value="{{HISTORY}}">
      <label for="staff.expiry_days">Password expiry in days (0: never, as NIST advises)</label>
      <input id="staff.expiry_days" name="staff.expiry_days" inputmode="numeric" required maxlength="6" value="{{EXPIRY_DAYS}}">
      <p class="muted">Composition rules are off by default: NIST advises against them.</p>
      <label><input type="checkbox" name="staff.require_mixed_case" value="1"{{#MIXED_CASE}} checked{{/MIXED_CASE}}> Require an upper- and a lower-case letter</label>
      <label><input type="checkbox" name="staff.require_digit" value="1"{{#DIGIT}} checked{{/DIGIT}}> Require a digit</label>
      <label><input type="checkbox" name="staff.require_symbol" value="1"{{#SYMBOL}} checked{{/SYMBOL}}> Require a symbol</label>
    </fieldset>{{/STAFF}}
    {{#END_USERS}}<fieldset class="stack">
      <legend>Customer passwords</legend>
      <label for="end_users.min_length">Minimum length for password-only accounts (at least 8; NIST advises 15)</label>
      <input id="end_users.min_length" name="end_users.min_length" inputmode="numeric" required maxlength="6" value="{{MIN_LENGTH}}">
      <label for="end_users.min_length_with_second_factor">Minimum length with two-factor authentication (at least 8)</label>
      <input id="end_users.min_length_with_second_factor" name="end_users.min_length_with_second_factor" inputmode="numeric" required maxlength="6" value="{{MIN_LENGTH_2FA}}">
      <label for="end_users.history">Earlier passwords that may not be reused (0 to 24)</label>
      <input id="end_users.history" name="end_users.history" inputmode="numeric" required maxlength="6" value="{{HISTORY}}">
      <label for="end_users.expiry_days">Password expiry in days (0: never, as NIST advises)</label>
      <input id="end_users.expiry_days" name="end_users.expiry_days" inputmode="numeric" required maxlength="6" value="{{EXPIRY_DAYS}}">
      <label><input type="checkbox" name="end_users.require_mixed_case" value="1"{{#MIXED_CASE}} checked{{/MIXED_CASE}}> Require an upper- and a lower-case letter</label>
      <label><input type="checkbox" name="end_users.require_digit" value="1"{{#DIGIT}} checked{{/DIGIT}}> Require a digit</label>
      <label><input type="checkbox" name="end_users.require_symbol" value="1"{{#SYMBOL}} checked{{/SYMBOL}}> Require a symbol</label>
    </fieldset>{{/END_USERS}}
    <fieldset class="stack">
      <legend>Two-factor authentication required for</legend>
      <label><input type="checkbox" name="second_factor.owner" value="1"{{#TFA_OWNER}} checked{{/TFA_OWNER}}> Owners</label>
      <label><input type="checkbox" name="second_factor.admin" value="1"{{#TFA_ADMIN}} checked{{/TFA_ADMIN}}> Admins</label>
      <label><input type="checkbox" name="second_factor.agent" value="1"{{#TFA_AGENT}} checked{{/TFA_AGENT}}> Agents</label>
      <label><input type="checkbox" name="second_factor.end_user" value="1"{{#TFA_END_USER}} checked{{/TFA_END_USER}}> Customers</label>
    </fieldset>
    <fieldset class="stack">
      <legend>IP allowlists (one network per line, e.g. 192.0.2.0/24 or 2001:db8::/32; empty allows every address)</legend>
      <p class="muted">Your current address is {{CLIENT}}. A list that would lock you out is refused; <code>rampart security ip-allow --reset</code> on the server is the way back in.</p>
      <label for="ip.everyone">Everyone</label>
      <textarea id="ip.everyone" name="ip.everyone" rows="3">{{IP_EVERYONE}}</textarea>
      <label for="ip.staff">Staff (agents, admins, owners, staff API tokens)</label>
      <textarea id="ip.staff" name="ip.staff" rows="3">{{IP_STAFF}}</textarea>
      <label for="ip.api">API</label>
      <textarea id="ip.api" name="ip.api" rows="3">{{IP_API}}</textarea>
    </fieldset>
    <button type="submit">Save security settings</button>
  </form>
</section>
