"""One router per resource: session, scenarios, deliverables, audit, users."""
