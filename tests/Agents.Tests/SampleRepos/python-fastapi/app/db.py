import os

from sqlalchemy import create_engine

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql+psycopg2://inventory@inventory-db:5432/inventory")
engine = create_engine(DATABASE_URL)
