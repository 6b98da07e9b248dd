{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="mail-dns-title">
  <p><a href="/admin/mailboxes">Mailboxes</a></p>
  <h1 id="mail-dns-title">DNS records for outgoing mail</h1>
  <p class="muted">Receivers trust mail from your domain when these records are published: DKIM proves the signature, SPF names the servers that send, DMARC tells receivers what to do with mail that proves neither. They are computed from the <code>[mail]</code> configuration.</p>
  {{#PROBLEM}}<p class="alert" role="alert">{{TEXT}}</p>{{/PROBLEM}}
  {{#NOT_CONFIGURED}}<p class="notice">Outgoing mail is not configured: set <code>mail.from_address</code> and <code>mail.dkim.domain</code>, <code>mail.dkim.selector</code> and <code>mail.dkim.key_file</code> (made by <code>rampart dkim keygen</code>).</p>{{/NOT_CONFIGURED}}
  {{#RECORD}}<article class="card" aria-label="{{KIND}} record">
    <h2>{{KIND}} <span class="muted">({{EXACT}})</span></h2>
    <p>Name: <code>{{NAME}}</code>, type TXT</p>
    <p>Value:</p>
    <pre class="record">{{VALUE}}</pre>
    <p class="muted">{{NOTE}}</p>
    {{#CHECK}}<div class="check check-{{STATE}}" role="status">
      <p><strong>DNS check: {{STATE}}.</strong> {{WORDS}}</p>
      {{#FOUND}}<p>Published:</p><pre class="record">{{VALUE}}</pre>{{/FOUND}}
    </div>{{/CHECK}}
  </article>{{/RECORD}}
  {{#CAN_CHECK}}<form method="post" action="/admin/mail-dns/check">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <button type="submit">Check DNS</button>
  </form>{{/CAN_CHECK}}
</section>
