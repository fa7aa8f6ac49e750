"""localstripe on loopback, with the one-off invoice calls the hub needs.

Run: python scripts/localstripe_server.py PORT   (then STRIPE_API_BASE=http://127.0.0.1:PORT)
localstripe's own CLI binds every interface and reloads a pickle from /tmp; this binds 127.0.0.1
only, starts empty, and adds what localstripe lacks: invoices without a subscription, items
attached with invoice=..., an invoice's custom_fields and footer (kept as given, as Stripe does), and
POST /v1/invoices/{id}/finalize.
Webhooks: POST {base}/_config/webhooks/<id> with form fields url, secret (and events[]).
"""
import sys
from aiohttp import web
from localstripe import resources as R, server as S
_create, _ii_init = R.Invoice._api_create.__func__, R.InvoiceItem.__init__
def invoice_create(cls, customer=None, subscription=None, pending_invoice_items_behavior=None,
                   auto_advance=None, collection_method=None, days_until_due=None, custom_fields=None,
                   footer=None, **kw):
    if subscription:
        return _create(cls, customer=customer, subscription=subscription, **kw)
    if custom_fields is not None and not (isinstance(custom_fields, list) and len(custom_fields) <= 4 and all(
            isinstance(f, dict) and set(f) == {"name", "value"} and 0 < len(f["name"]) <= 40
            and 0 < len(f["value"]) <= 140 for f in custom_fields)):
        raise R.UserError(400, "Invalid custom_fields")  # Stripe: at most 4, name <= 40 and value <= 140 chars
    if footer is not None and not (isinstance(footer, str) and len(footer) <= 5000):
        raise R.UserError(400, "Invalid footer")
    inv = cls(customer=customer, **kw)              # pulls in all pending items
    inv.custom_fields, inv.footer = custom_fields, footer
    if pending_invoice_items_behavior != "include":  # real API default is "exclude"
        for line in inv.lines._list:
            R.InvoiceItem._api_retrieve(line.invoice_item).invoice = None
        inv.lines._list = []
    return inv
def ii_init(self, invoice=None, **kw):              # items created with invoice=in_…
    inv = R.Invoice._api_retrieve(invoice) if invoice else None
    if inv and inv.status != "draft": raise R.UserError(400, "Invoice is not a draft")
    _ii_init(self, invoice=invoice, **kw)
    if inv: inv.lines._list.append(R.InvoiceLineItem(self)); inv.currency = self.currency
def finalize(id, auto_advance=None):
    inv = R.Invoice._api_retrieve(id)
    if inv.status != "draft": raise R.UserError(400, "Invoice is not a draft")
    inv._finalize(); return inv
R.Invoice._api_create = classmethod(invoice_create)
R.InvoiceItem.__init__ = ii_init
S.app.router.add_route("POST", "/v1/invoices/{id}/finalize", S.api_extra(finalize, None))
web.run_app(S.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
