# Marquee: the same steps as the Makefile (install, migrate, serve), in a slim image.
FROM python:3.11-slim

# WeasyPrint needs Pango; DejaVu covers Cyrillic titles in printed programmes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-dejavu-core fonts-dejavu-extra \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 marquee
WORKDIR /app
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
COPY sample_programme ./sample_programme
RUN pip install --no-cache-dir . && chown -R marquee /app

USER marquee
ENV MARQUEE_DATABASE_URL=sqlite:////app/data/marquee.db \
    MARQUEE_BASE_URL=http://localhost:8000
RUN mkdir -p /app/data
VOLUME /app/data
EXPOSE 8000
# Migrate, then serve; set MARQUEE_DATABASE_URL=postgresql+psycopg://... for PostgreSQL.
CMD ["sh", "-c", "marquee db upgrade && marquee serve --host 0.0.0.0 --port 8000"]
