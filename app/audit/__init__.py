"""The audit trail: every domain records what people did through app.audit.services.record.

No pages here: the administrator's audit page searches across domains, so app.reporting serves it.
"""
