"""The CRM of fixtures/crm as a FastAPI + SQLAlchemy app using sync-patterns-fastapi."""

from .app import create_app

__all__ = ["create_app"]
