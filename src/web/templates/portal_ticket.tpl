{{%AUTOESCAPE context="HTML"}}<article class="card" aria-labelledby="ticket-title">
  <p class="muted"><a href="/portal/">My tickets</a> / {{NUMBER}}</p>
  <h1 id="ticket-title">{{SUBJECT}}</h1>
  {{#NOTICE}}<p class="notice" role="status">{{MESSAGE}}</p>{{/NOTICE}}
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <p><span class="status status-{{STATUS}}">{{STATUS_LABEL}}</span> · opened {{CREATED}}{{#MERGED}} · merged into {{INTO}}{{/MERGED}}</p>
  <ol class="thread">
  {{#MESSAGE_ITEM}}<li class="message author-{{KIND}}" id="message-{{MESSAGE_ID}}">
    <p class="meta"><strong>{{AUTHOR}}</strong> · <time>{{AT}}</time></p>
    <div class="body">{{BODY}}</div>
        {{#HTML}}<details class="mail-html"{{#OPEN}} open{{/OPEN}}><summary>HTML version</summary>
          <iframe class="mail-frame" sandbox="" src="{{SRC}}" title="{{TITLE}}"></iframe>
          {{#SHOW_IMAGES}}<p><a href="{{HREF}}">Show images</a> <span class="muted">(loads pictures from the sender's servers, which tells them the message was read)</span></p>{{/SHOW_IMAGES}}
        </details>{{/HTML}}
    {{#ATTACHMENTS}}<ul class="attachments" aria-label="Attachments">{{#ATTACHMENT}}<li>{{#PREVIEW}}<img class="preview" src="/attachments/{{ID}}?inline=1" alt="{{NAME}}">{{/PREVIEW}}<a href="/attachments/{{ID}}">{{NAME}}</a> <span class="muted">{{SIZE}} · {{TYPE}}</span></li>{{/ATTACHMENT}}</ul>{{/ATTACHMENTS}}
  </li>{{/MESSAGE_ITEM}}
  </ol>
  {{#CAN_REPLY}}<form method="post" action="/portal/tickets/{{NUMBER}}/reply" class="stack" enctype="multipart/form-data">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="reply">Your reply</label>
    <textarea id="reply" name="body" required rows="6" maxlength="100000"></textarea>
    <label for="reply-files">Attach files (optional)</label>
    <input id="reply-files" name="files" type="file" multiple>
    <button type="submit">Send reply</button>
  </form>{{/CAN_REPLY}}
  {{#CAN_CLOSE}}<form method="post" action="/portal/tickets/{{NUMBER}}/status" class="inline">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="status" value="solved">
    <button type="submit" class="secondary">Mark as solved</button>
  </form>{{/CAN_CLOSE}}
  {{#CAN_REOPEN}}<form method="post" action="/portal/tickets/{{NUMBER}}/status" class="inline">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <input type="hidden" name="status" value="open">
    <button type="submit" class="secondary">Reopen</button>
  </form>{{/CAN_REOPEN}}
</article>
