{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="held-title">
  <p class="muted"><a href="/agent/">Workspace</a> / Held mail</p>
  <h1 id="held-title">Held mail</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  <p class="alert" role="note">These messages were not imported. Their senders are NOT verified: the From address may be forged. Open one to read it and decide.</p>
  {{#EMPTY}}<p class="muted">No held or quarantined mail.</p>{{/EMPTY}}
  {{#HAS_ROWS}}<table class="table">
    <thead><tr><th scope="col">Kind</th><th scope="col">Claimed sender (not verified)</th><th scope="col">Subject</th><th scope="col">Received</th><th scope="col">Reason</th><th scope="col">Sender checks</th></tr></thead>
    <tbody>
    {{#ROW}}<tr>
      <td>{{KIND}}</td>
      <td>{{FROM}}</td>
      <td><a href="/mail/held/{{ID}}">{{SUBJECT}}</a></td>
      <td><time>{{RECEIVED}}</time></td>
      <td>{{REASON}}</td>
      <td class="sender-checks">{{CHECKS}}</td>
    </tr>{{/ROW}}
    </tbody>
  </table>{{/HAS_ROWS}}
</section>
