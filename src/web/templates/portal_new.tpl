{{%AUTOESCAPE context="HTML"}}<section class="card" aria-labelledby="new-title">
  <h1 id="new-title">New ticket</h1>
  {{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <form method="post" action="/portal/tickets" class="stack" enctype="multipart/form-data">
    <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
    <label for="subject">Subject</label>
    <input id="subject" name="subject" required maxlength="300" value="{{SUBJECT}}">
    <label for="body">How can we help?</label>
    <textarea id="body" name="body" required rows="10" maxlength="100000">{{BODY}}</textarea>
    <label for="files">Attach files (optional)</label>
    <input id="files" name="files" type="file" multiple>
    <button type="submit">Open ticket</button>
  </form>
</section>
