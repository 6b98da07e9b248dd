{{%AUTOESCAPE context="HTML"}}<section class="card narrow" aria-labelledby="codes-title">
  <h1 id="codes-title">Save your recovery codes</h1>
  <p>Two-factor authentication is on. If you lose your authenticator, each of these codes lets
  you sign in once. They are shown only now: store them somewhere safe.</p>
  <ul class="codes">{{#CODE}}<li><code>{{VALUE}}</code></li>{{/CODE}}</ul>
  <p><a class="button" href="{{NEXT}}">I have saved them</a></p>
</section>
