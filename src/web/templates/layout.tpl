{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · Rampart</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
  <a class="brand" href="/">Rampart</a>
  {{#USER}}<nav class="usernav" aria-label="Account">
    {{#STAFF}}<a href="/agent/">Workspace</a>{{/STAFF}}
    {{#CUSTOMER}}<a href="/portal/">My tickets</a>{{/CUSTOMER}}
    <a href="/account/sessions">{{NAME}}</a>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="csrf_token" value="{{CSRF_TOKEN}}">
      <button type="submit" class="link">Sign out</button>
    </form>
  </nav>{{/USER}}
</header>
<main id="main">
{{>BODY}}
</main>
<footer class="footer">
  <span>Rampart {{VERSION}}</span>
  <span class="profile profile-{{PROFILE}}">{{PROFILE}}</span>
</footer>
</body>
</html>
