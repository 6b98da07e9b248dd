{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="mailbox-title">
  <p><a href="/admin/mailboxes">Mailboxes</a></p>
  <h1 id="mailbox-title">{{HEADING}}</h1>
  {{#INSECURE_WARNING}}<p class="alert" role="alert"><strong>Warning.</strong> {{TEXT}}</p>{{/INSECURE_WARNING}}
  {{#ERRORS}}<div class="alert" role="alert">
    <h2>Nothing was saved. Please fix:</h2>
    <ul>{{#ERROR}}<li><a href="#{{FIELD_ID}}">{{LABEL}}</a>: {{TEXT}}</li>{{/ERROR}}</ul>
  </div>{{/ERRORS}}
  <form method="post" action="{{ACTION}}" class="stack">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="mailbox-name">Name</label>
    <input id="mailbox-name" name="name" required maxlength="100" value="{{NAME}}">
    <label for="mailbox-address">Address customers write to</label>
    <input id="mailbox-address" name="address" type="email" required maxlength="254" value="{{ADDRESS}}">
    <label for="mailbox-department_id">Department of its new tickets</label>
    <select id="mailbox-department_id" name="department_id">
      <option value="">None</option>
      {{#DEPARTMENT}}<option value="{{ID}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/DEPARTMENT}}
    </select>
    <fieldset class="stack">
      <legend>IMAP account (leave the host empty when an MTA pipes mail in)</legend>
      <label for="mailbox-imap_host">IMAP host</label>
      <input id="mailbox-imap_host" name="imap_host" maxlength="253" autocomplete="off" value="{{IMAP_HOST}}">
      <label for="mailbox-imap_port">Port (993 for TLS, 143 for STARTTLS)</label>
      <input id="mailbox-imap_port" name="imap_port" inputmode="numeric" required maxlength="6" value="{{IMAP_PORT}}">
      <fieldset>
        <legend>Connection security</legend>
        <label><input type="radio" name="imap_security" value="tls"{{#TLS_CHECKED}} checked{{/TLS_CHECKED}}> TLS from the first byte</label>
        <label><input type="radio" name="imap_security" value="starttls"{{#STARTTLS_CHECKED}} checked{{/STARTTLS_CHECKED}}> STARTTLS (required: no password is sent without it)</label>
      </fieldset>
      <label for="mailbox-imap_username">User name</label>
      <input id="mailbox-imap_username" name="imap_username" maxlength="254" autocomplete="off" value="{{IMAP_USERNAME}}">
      <label for="mailbox-imap_password">Password</label>
      <input id="mailbox-imap_password" name="imap_password" type="password" maxlength="1024" autocomplete="new-password" aria-describedby="mailbox-password-hint">
      <p id="mailbox-password-hint" class="muted">Stored encrypted and never shown again.{{#EDITING}} Leave it empty to keep {{#HAS_PASSWORD}}the stored password{{/HAS_PASSWORD}}{{#NO_PASSWORD}}no password{{/NO_PASSWORD}}.{{/EDITING}}</p>
      <label for="mailbox-imap_folder">Folder</label>
      <input id="mailbox-imap_folder" name="imap_folder" required maxlength="200" value="{{IMAP_FOLDER}}">
      <label for="mailbox-poll_seconds">Poll interval in seconds (10 to 86400)</label>
      <input id="mailbox-poll_seconds" name="poll_seconds" inputmode="numeric" required maxlength="6" value="{{POLL_SECONDS}}">
      <fieldset class="stack">
        <legend>Certificate verification</legend>
        <p id="mailbox-insecure-hint" class="alert">Turning verification off means anyone on the path can read this mailbox's password and mail. Use it only for a test server; for a private CA, give the CA file with <code>rampart mail mailbox add --imap-ca-file</code> instead.</p>
        <label><input type="checkbox" id="mailbox-insecure_skip_verify" name="insecure_skip_verify" value="1" aria-describedby="mailbox-insecure-hint"{{#INSECURE_CHECKED}} checked{{/INSECURE_CHECKED}}> Do not verify the server's certificate (insecure)</label>
      </fieldset>
    </fieldset>
    <label><input type="checkbox" name="enabled" value="1"{{#ENABLED_CHECKED}} checked{{/ENABLED_CHECKED}}> Enabled (polled, and accepts piped mail)</label>
    <button type="submit">Save mailbox</button>
  </form>
</section>
