FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 HF_HUB_DISABLE_PROGRESS_BARS=1
WORKDIR /app
# CPU-only torch keeps the image small; use a CUDA base image and wheel for GPU workers.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu "torch>=2.4,<2.15"
COPY pyproject.toml README.md ./
COPY src ./src
COPY workers ./workers
COPY glossaries ./glossaries
RUN pip install --no-cache-dir ".[ops]"
ENTRYPOINT ["gnews-i18n"]
