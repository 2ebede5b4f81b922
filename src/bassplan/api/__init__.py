"""The dashboard's REST API: a FastAPI app built by ``create_app(settings)`` over the store."""
