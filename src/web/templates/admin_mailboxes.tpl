{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="mailboxes-title">
  <h1 id="mailboxes-title">Mailboxes</h1>
  <p class="muted">Where customers write to. Each mailbox turns mail into tickets for its department; one with an IMAP account is polled, otherwise an MTA pipes its mail in with <code>rampart mail ingest</code>.</p>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#INSECURE}}<p class="alert" role="alert"><strong>{{NAME}}:</strong> {{TEXT}}</p>{{/INSECURE}}
  <p><a href="/admin/mailboxes/new">Add a mailbox</a> · <a href="/admin/mail-dns">DNS records for outgoing mail</a></p>
  {{#NONE}}<p class="muted">No mailbox yet.</p>{{/NONE}}
  {{#TABLE}}<table class="table">
    <caption class="muted">Every mailbox, by name</caption>
    <thead><tr><th scope="col">Name</th><th scope="col">Address</th><th scope="col">Department</th><th scope="col">IMAP account</th><th scope="col">Security</th><th scope="col">Last poll</th><th scope="col">Enabled</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
    {{#MAILBOX}}<tr>
      <td><a href="/admin/mailboxes/{{ID}}">{{NAME}}</a></td>
      <td>{{ADDRESS}}</td>
      <td>{{DEPARTMENT}}</td>
      <td>{{IMAP}}</td>
      <td>{{SECURITY}}{{#ROW_INSECURE}}<br><strong class="inline-warning">certificate not verified</strong>{{/ROW_INSECURE}}</td>
      <td>{{LAST_POLL}}</td>
      <td>{{ENABLED}}</td>
      <td>{{#CAN_DISABLE}}<form method="post" action="/admin/mailboxes/{{ID}}/disable">
        <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
        <button type="submit" aria-label="Disable {{NAME}}">Disable</button>
      </form>{{/CAN_DISABLE}}</td>
    </tr>{{/MAILBOX}}
    </tbody>
  </table>{{/TABLE}}
</section>
