// Passkey ceremonies of the sign-in pages: a button with data-passkey="register|sign-in|second-factor" asks its
// data-options URL for the server's options (posting the fields of its box: CSRF token, name, password, next),
// runs navigator.credentials.create() or .get(), and posts the answer to its data-verify URL; the server says
// where to go next, or why not.
(function () {
  "use strict";

  function b64urlToBytes(text) {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function bytesToB64url(buffer) {
    let text = "";
    new Uint8Array(buffer).forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The JSON forms of WebAuthn (parse...FromJSON, toJSON) where the browser has them, else the same by hand.
  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    return Object.assign({}, json, {
      challenge: b64urlToBytes(json.challenge),
      user: Object.assign({}, json.user, { id: b64urlToBytes(json.user.id) }),
      excludeCredentials: (json.excludeCredentials || []).map((c) => Object.assign({}, c, { id: b64urlToBytes(c.id) })),
    });
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    return Object.assign({}, json, {
      challenge: b64urlToBytes(json.challenge),
      allowCredentials: (json.allowCredentials || []).map((c) => Object.assign({}, c, { id: b64urlToBytes(c.id) })),
    });
  }

  function credentialJSON(credential) {
    if (credential.toJSON) return credential.toJSON();
    const response = { clientDataJSON: bytesToB64url(credential.response.clientDataJSON) };
    ["attestationObject", "authenticatorData", "signature", "userHandle"].forEach((key) => {
      if (credential.response[key]) response[key] = bytesToB64url(credential.response[key]);
    });
    if (credential.response.getTransports) response.transports = credential.response.getTransports();
    return { id: credential.id, rawId: bytesToB64url(credential.rawId), type: credential.type, response: response,
             clientExtensionResults: credential.getClientExtensionResults(),
             authenticatorAttachment: credential.authenticatorAttachment };
  }

  async function answer(response) {
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (!response.ok) throw new Error(body.error || "The server refused (" + response.status + ").");
    return body;
  }

  async function ceremony(button) {
    const box = button.closest("[data-passkey-box]");
    const fields = new FormData();
    box.querySelectorAll("input[name]").forEach((input) => fields.append(input.name, input.value));
    const csrf = fields.get("csrf_token");
    const options = await answer(await fetch(button.dataset.options, {
      method: "POST", body: fields, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" }));
    const credential = button.dataset.passkey === "register"
      ? await navigator.credentials.create({ publicKey: creationOptions(options) })
      : await navigator.credentials.get({ publicKey: requestOptions(options) });
    const result = await answer(await fetch(button.dataset.verify, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ credential: credentialJSON(credential), next: fields.get("next") || null }) }));
    window.location.assign(result.next || "/");
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-passkey]").forEach((button) => {
      if (!window.PublicKeyCredential) { button.disabled = true; button.title = "This browser has no passkeys."; return; }
      button.addEventListener("click", async () => {
        const error = button.closest("[data-passkey-box]").querySelector("[data-passkey-error]");
        error.textContent = "";
        button.disabled = true;
        try {
          await ceremony(button);
        } catch (e) {
          error.textContent = e.name === "NotAllowedError" ? "The passkey request was cancelled or timed out." : e.message;
          button.disabled = false;
        }
      });
    });
  });
})();
