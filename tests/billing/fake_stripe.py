"""A local fake of the Stripe API: a real HTTP server answering the calls billing/ makes.

It speaks Stripe's wire format (form-encoded requests with bracketed keys, bearer
API key, Idempotency-Key replay, JSON objects and errors shaped like Stripe's) so
the real `stripe` SDK can be pointed at it with STRIPE_API_BASE. Tests drive the
"Stripe side" (completing a checkout, failing a payment, cancelling) through its
methods and build signed webhook deliveries with `event()` and `sign()`.
"""
import hashlib
import hmac
import html
import itertools
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

API_VERSION = "2026-10-28.endive"
MONTH = 30 * 24 * 3600


def sign(payload, secret, timestamp=None):
    """Return a Stripe-Signature header for payload, computed exactly as Stripe does."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    body = payload.decode() if isinstance(payload, bytes) else payload
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def decode_form(body):
    """Return Stripe's bracketed form encoding (a[b][0][c]=v) as nested dicts and lists."""
    root = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node):
    """Turn dicts keyed 0..n-1 into lists, recursively."""
    if not isinstance(node, dict):
        return node
    node = {k: _listify(v) for k, v in node.items()}
    if node and all(k.isdigit() for k in node):
        return [node[k] for k in sorted(node, key=int)]
    return node


class StripeError(Exception):
    """An error answered in Stripe's JSON error shape."""

    def __init__(self, status, message, code=None, param=None, type_="invalid_request_error"):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": type_, "message": message}}
        if code:
            self.body["error"]["code"] = code
        if param:
            self.body["error"]["param"] = param


class FakeStripe:
    """The fake Stripe account: its objects, a request log, and the HTTP server."""

    def __init__(self, api_key="sk_test_fake", price_id="price_test_analyst", customer_create_delay=0.0,
                 team_price_id="price_test_team"):
        self.api_key, self.price_id, self.team_price_id = api_key, price_id, team_price_id
        self.customer_create_delay = customer_create_delay
        self.customers, self.sessions, self.portal_sessions, self.subscriptions = {}, {}, {}, {}
        self.requests, self.item_updates = [], []
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._idempotency = {}
        self._key_locks = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ----- lifecycle -----

    def start(self):
        """Serve in a background thread and return self."""
        self._thread.start()
        return self

    def stop(self):
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    # ----- helpers for tests -----

    def new_id(self, prefix):
        """Return a fresh Stripe-style id."""
        return f"{prefix}_test_{next(self._ids):06d}{secrets.token_hex(4)}"

    def calls(self, method=None, path_prefix=""):
        """Return logged requests, optionally filtered by method and path prefix."""
        with self._lock:
            return [r for r in self.requests
                    if (method is None or r["method"] == method) and r["path"].startswith(path_prefix)]

    def complete_checkout(self, session_id, status="active", now=None):
        """Pay a Checkout Session: create its subscription and return (session, subscription)."""
        with self._lock:
            session = self.sessions[session_id]
            if session["subscription"]:
                return session, self.subscriptions[session["subscription"]]
            now = int(time.time()) if now is None else now
            subscription = self.create_subscription(
                session["customer"], status=status, now=now,
                metadata=session["_subscription_metadata"], price_id=session["_price"],
                quantity=session["_quantity"],
            )
            session.update(status="complete", payment_status="paid", subscription=subscription["id"])
            return session, subscription

    def create_subscription(self, customer_id, status="active", now=None, metadata=None, price_id=None, quantity=1):
        """Create a subscription for customer_id and return it."""
        now = int(time.time()) if now is None else now
        sub_id = self.new_id("sub")
        price = {
            "id": price_id or self.price_id, "object": "price", "active": True, "currency": "usd",
            "nickname": None, "product": "prod_test_analyst", "type": "recurring",
            "unit_amount": 3900 if price_id == self.team_price_id else 4900,
            "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
            "livemode": False, "metadata": {},
        }
        subscription = {
            "id": sub_id, "object": "subscription", "customer": customer_id, "status": status,
            "created": now, "start_date": now, "billing_cycle_anchor": now,
            "cancel_at_period_end": False, "cancel_at": None, "canceled_at": None, "ended_at": None,
            "collection_method": "charge_automatically", "currency": "usd", "livemode": False,
            "latest_invoice": None, "metadata": dict(metadata or {}), "pause_collection": None,
            "trial_end": None, "trial_start": None,
            "items": {
                "object": "list", "has_more": False, "url": f"/v1/subscription_items?subscription={sub_id}",
                "data": [{
                    "id": self.new_id("si"), "object": "subscription_item", "created": now,
                    "current_period_start": now, "current_period_end": now + MONTH,
                    "price": price, "quantity": quantity, "subscription": sub_id, "metadata": {},
                }],
            },
        }
        with self._lock:
            self.subscriptions[sub_id] = subscription
        return subscription

    def delete_customer(self, customer_id):
        """Delete a customer as from the Stripe dashboard."""
        with self._lock:
            self.customers[customer_id] = {"id": customer_id, "object": "customer", "deleted": True}

    def update_subscription(self, sub_id, **changes):
        """Change a subscription as Stripe would and return its new copy."""
        with self._lock:
            subscription = self.subscriptions[sub_id]
            period_end = changes.pop("current_period_end", None)
            subscription.update(changes)
            if period_end is not None:
                subscription["items"]["data"][0]["current_period_end"] = period_end
            return json.loads(json.dumps(subscription))

    def invoice(self, sub_id, status="paid"):
        """Return an invoice object for the subscription's current period."""
        subscription = self.subscriptions[sub_id]
        item = subscription["items"]["data"][0]
        return {
            "id": self.new_id("in"), "object": "invoice", "customer": subscription["customer"],
            "status": status, "amount_due": 4900, "amount_paid": 4900 if status == "paid" else 0,
            "currency": "usd", "billing_reason": "subscription_cycle", "livemode": False,
            "period_start": item["current_period_start"], "period_end": item["current_period_end"],
            "parent": {"type": "subscription_details", "quote_details": None,
                       "subscription_details": {"subscription": sub_id, "metadata": subscription["metadata"]}},
        }

    def event(self, event_type, obj, created=None, event_id=None):
        """Return a Stripe Event dict carrying a snapshot of obj."""
        snapshot = {k: v for k, v in json.loads(json.dumps(obj)).items() if not k.startswith("_")}
        return {
            "id": event_id or self.new_id("evt"), "object": "event", "api_version": API_VERSION,
            "created": int(time.time()) if created is None else int(created),
            "data": {"object": snapshot}, "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None}, "type": event_type,
        }

    # ----- the API -----

    def dispatch(self, method, path, query, params, headers):
        """Answer one API request; return (status, JSON-able body)."""
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            raise StripeError(401, "Invalid API Key provided.")
        routes = [
            ("POST", r"/v1/customers", self._create_customer),
            ("GET", r"/v1/customers/search", self._search_customers),
            ("GET", r"/v1/customers", self._list_customers),
            ("GET", r"/v1/customers/(?P<id>[\w]+)", self._retrieve_customer),
            ("POST", r"/v1/checkout/sessions", self._create_session),
            ("POST", r"/v1/billing_portal/sessions", self._create_portal_session),
            ("GET", r"/v1/subscriptions/(?P<id>[\w]+)", self._retrieve_subscription),
            ("POST", r"/v1/subscription_items/(?P<id>[\w]+)", self._update_subscription_item),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(params if method == "POST" else query, **match.groupdict())
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _create_customer(self, params):
        if self.customer_create_delay:
            time.sleep(self.customer_create_delay)
        customer = {
            "id": self.new_id("cus"), "object": "customer", "created": int(time.time()),
            "email": params.get("email"), "name": params.get("name"), "livemode": False,
            "metadata": params.get("metadata", {}), "balance": 0, "currency": None, "delinquent": False,
            "description": None, "invoice_settings": {"default_payment_method": None},
        }
        with self._lock:
            self.customers[customer["id"]] = customer
        return 200, customer

    def _retrieve_customer(self, _query, id):
        if id not in self.customers:
            raise StripeError(404, f"No such customer: '{id}'", code="resource_missing", param="id")
        return 200, self.customers[id]

    def _list_customers(self, query):
        found = [c for c in self.customers.values() if "email" not in query or c["email"] == query["email"]]
        limit = int(query.get("limit", 10))
        return 200, {"object": "list", "url": "/v1/customers", "has_more": len(found) > limit,
                     "data": found[:limit]}

    def _search_customers(self, query):
        match = re.fullmatch(r"metadata\['(\w+)'\]:'([^']*)'", query.get("query", ""))
        if not match:
            raise StripeError(400, "Unsupported search query.", param="query")
        found = [c for c in self.customers.values() if c["metadata"].get(match[1]) == match[2]]
        return 200, {"object": "search_result", "url": "/v1/customers/search", "has_more": False,
                     "next_page": None, "data": found}

    def _create_session(self, params):
        for required in ("mode", "success_url"):
            if not params.get(required):
                raise StripeError(400, f"Missing required param: {required}.", param=required)
        if params["mode"] != "subscription":
            raise StripeError(400, "This fake only supports subscription mode.", param="mode")
        items = params.get("line_items") or []
        if len(items) != 1 or items[0].get("price") not in (self.price_id, self.team_price_id):
            raise StripeError(400, f"No such price: '{items[0].get('price') if items else None}'",
                              code="resource_missing", param="line_items[0][price]")
        quantity = items[0].get("quantity", "1")
        if not str(quantity).isdigit() or int(quantity) < 1:
            raise StripeError(400, "Invalid positive integer", param="line_items[0][quantity]")
        customer = params.get("customer")
        if customer and customer not in self.customers:
            raise StripeError(400, f"No such customer: '{customer}'", code="resource_missing", param="customer")
        session_id = "cs_test_" + secrets.token_hex(12)
        now = int(time.time())
        session = {
            "id": session_id, "object": "checkout.session", "mode": "subscription", "status": "open",
            "payment_status": "unpaid", "customer": customer, "client_reference_id": params.get("client_reference_id"),
            "success_url": params["success_url"], "cancel_url": params.get("cancel_url"),
            "metadata": params.get("metadata", {}), "subscription": None, "created": now,
            "expires_at": now + 24 * 3600, "livemode": False, "currency": "usd", "amount_total": 4900,
            "url": f"{self.url}/c/pay/{session_id}",
            "_price": items[0]["price"], "_quantity": int(quantity),
            "_subscription_metadata": (params.get("subscription_data") or {}).get("metadata", {}),
        }
        with self._lock:
            self.sessions[session_id] = session
        return 200, {k: v for k, v in session.items() if not k.startswith("_")}

    def _create_portal_session(self, params):
        customer = params.get("customer")
        if customer not in self.customers:
            raise StripeError(400, f"No such customer: '{customer}'", code="resource_missing", param="customer")
        session_id = self.new_id("bps")
        session = {
            "id": session_id, "object": "billing_portal.session", "customer": customer,
            "return_url": params.get("return_url"), "created": int(time.time()), "livemode": False,
            "url": f"{self.url}/p/session/{session_id}",
        }
        with self._lock:
            self.portal_sessions[session_id] = session
        return 200, session

    def _retrieve_subscription(self, _query, id):
        if id not in self.subscriptions:
            raise StripeError(404, f"No such subscription: '{id}'", code="resource_missing", param="id")
        return 200, self.subscriptions[id]

    def _update_subscription_item(self, params, id):
        with self._lock:
            for subscription in self.subscriptions.values():
                for item in subscription["items"]["data"]:
                    if item["id"] == id:
                        break
                else:
                    continue
                break
            else:
                raise StripeError(404, f"No such subscription item: '{id}'", code="resource_missing", param="id")
            if "quantity" in params:
                quantity = params["quantity"]
                if not str(quantity).isdigit() or int(quantity) < 1:
                    raise StripeError(400, "Invalid positive integer", param="quantity")
                item["quantity"] = int(quantity)
            if params.get("proration_behavior") not in (None, "create_prorations", "none", "always_invoice"):
                raise StripeError(400, "Invalid proration_behavior", param="proration_behavior")
            self.item_updates.append({"item": id, **params})
            return 200, item

    def handle_api(self, method, path, query, body, headers):
        """Answer a request, replaying the stored answer for a repeated Idempotency-Key."""
        params = decode_form(body) if body else {}
        key = headers.get("Idempotency-Key") if method == "POST" else None
        with self._lock:
            self.requests.append({"method": method, "path": path, "query": query, "params": params,
                                  "idempotency_key": key})
            key_lock = self._key_locks.setdefault(key, threading.Lock()) if key else None
        if key_lock is None:
            return self._answer(method, path, query, params, headers)
        # Stripe runs one request per key; a concurrent or later repeat gets the first answer.
        with key_lock:
            cached = self._idempotency.get(key)
            if cached is not None:
                if cached["request"] != (path, params):
                    error = StripeError(400, "Keys for idempotent requests can only be used with the same "
                                        "parameters they were first used with.", type_="idempotency_error")
                    return error.status, error.body, {}
                return cached["status"], cached["body"], {"Idempotent-Replayed": "true"}
            status, response = self._answer(method, path, query, params, headers)[:2]
            self._idempotency[key] = {"request": (path, params), "status": status, "body": response}
            return status, response, {}

    def _answer(self, method, path, query, params, headers):
        try:
            status, response = self.dispatch(method, path, query, params, headers)
        except StripeError as exc:
            return exc.status, exc.body, {}
        return status, json.loads(json.dumps(response)), {}

    # ----- the hosted pages -----

    def checkout_page(self, session_id):
        """Return the HTML of the hosted checkout page for a session."""
        session = self.sessions.get(session_id)
        if session is None:
            return 404, "<h1>Unknown checkout session</h1>"
        return 200, f"""<!doctype html><html><head><title>Fake Stripe Checkout</title></head><body>
<h1 id="fake-checkout">Fake Stripe Checkout</h1>
<p>Session <code id="session-id">{html.escape(session_id)}</code> for customer
<code id="customer-id">{html.escape(str(session["customer"]))}</code>, price
<code>{html.escape(session["_price"])}</code>.</p>
<a id="cancel" href="{html.escape(session["cancel_url"] or "")}">Cancel</a>
</body></html>"""

    def portal_page(self, session_id):
        """Return the HTML of the hosted customer portal page."""
        session = self.portal_sessions.get(session_id)
        if session is None:
            return 404, "<h1>Unknown portal session</h1>"
        return 200, f"""<!doctype html><html><head><title>Fake Stripe Portal</title></head><body>
<h1 id="fake-portal">Fake Stripe customer portal</h1>
<p>Customer <code id="customer-id">{html.escape(session["customer"])}</code></p>
<a id="return" href="{html.escape(session["return_url"] or "")}">Return</a></body></html>"""


def _handler_for(fake):
    """Return a request handler class bound to fake."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status, body, content_type, extra=None):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_" + secrets.token_hex(7))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _serve(self, method):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            if url.path.startswith("/v1/"):
                query = decode_form(url.query) if url.query else {}
                status, response, extra = fake.handle_api(method, url.path, query, body, self.headers)
                self._send(status, json.dumps(response), "application/json", extra)
                return
            page = re.fullmatch(r"/c/pay/(\w+)", url.path)
            portal = re.fullmatch(r"/p/session/(\w+)", url.path)
            if method == "GET" and page:
                self._send(*fake.checkout_page(page[1]), "text/html; charset=utf-8")
            elif method == "GET" and portal:
                self._send(*fake.portal_page(portal[1]), "text/html; charset=utf-8")
            else:
                self._send(404, "not found", "text/plain")

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

    return Handler
