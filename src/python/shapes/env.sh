# Environment for the shapes scripts: source it, then run them with $PY from src/python/shapes.
#   Debian's python3 with torch 1.13; diffusers + huggingface_hub sources in /work/pydeps;
#   the pure-Python safetensors shim; lsmodels from src/python.
#   OpenBLAS (apt-get install libopenblas0-openmp) instead of Debian's reference BLAS: attention's
#   matrix products run ~15x faster, which is what makes the 90-minute budget comfortable.
_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONPATH="$_here/..:${SHARED_DIR:-/work/shared}/tools/py-shims:${PYDEPS:-/work/pydeps}"
if [ -d /usr/lib/x86_64-linux-gnu/openblas-openmp ]; then
  export LD_LIBRARY_PATH="/usr/lib/x86_64-linux-gnu/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
export PY=/usr/bin/python3
# The machine is shared: with OpenMP's default spin-waiting, two torch threads slow down ~5x as soon
# as another process takes a core. Passive waiting costs little when the machine is idle.
export OMP_WAIT_POLICY=PASSIVE
