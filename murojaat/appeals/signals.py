"""Signals the appeals engine sends to other modules, inside the writing transaction.

`source_notification` lets the gateway write its outbox row in the same transaction as the
change (transactional outbox): if the change rolls back, so does the message.
"""

from django.dispatch import Signal

# sender=Appeal class; kwargs: appeal, kind (str), payload (dict), key (str, idempotency)
source_notification = Signal()
