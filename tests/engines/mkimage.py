#!/usr/bin/python3
# mkimage.py LAYER.tar OUT.tar REPO:TAG CMD...: a docker archive ("docker
# save" format: manifest.json, an image config, one layer) built by hand from
# a rootfs tarball, for `docker load` and `ctr images import`.  Digests are
# sha256 of the exact bytes, as the image spec requires.
import hashlib, io, json, sys, tarfile

layer, out, tag, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
data = open(layer, 'rb').read()
diff_id = 'sha256:' + hashlib.sha256(data).hexdigest()
config = json.dumps({
    'architecture': 'amd64', 'os': 'linux',
    'config': {'Env': ['PATH=/bin'], 'Cmd': cmd, 'WorkingDir': '/'},
    'rootfs': {'type': 'layers', 'diff_ids': [diff_id]},
    'history': [{'created_by': 'minirunc tests/engines/mkimage.py'}],
}, sort_keys=True).encode()
config_name = hashlib.sha256(config).hexdigest() + '.json'
layer_name = diff_id[len('sha256:'):] + '/layer.tar'
manifest = json.dumps([{'Config': config_name, 'RepoTags': [tag],
                        'Layers': [layer_name]}]).encode()
with tarfile.open(out, 'w') as t:
    for name, blob in ((config_name, config), (layer_name, data), ('manifest.json', manifest)):
        info = tarfile.TarInfo(name)
        info.size = len(blob)
        t.addfile(info, io.BytesIO(blob))
