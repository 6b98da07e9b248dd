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
