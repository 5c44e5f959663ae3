#!/usr/bin/python3
# cri.py SOCKET HANDLER OUTDIR: drive containerd's CRI plugin over gRPC as
# the kubelet does for one pod: RunPodSandbox (with runtime handler HANDLER),
# CreateContainer, StartContainer, ExecSync, StopPodSandbox, RemovePodSandbox.
# The messages come from cri.proto, compiled by protoc into OUTDIR at test
# time.  Prints one line per step; exits non-zero at the first failure.
import sys, time
sock, handler, outdir = sys.argv[1:4]
sys.path.insert(0, outdir)
import grpc
import cri_pb2 as pb

chan = grpc.insecure_channel('unix://' + sock)
grpc.channel_ready_future(chan).result(timeout=10)


def call(name, req, resp_type):
    # The service's methods by their full gRPC names, as a generated stub would call them.
    rpc = chan.unary_unary('/runtime.v1.RuntimeService/' + name,
                           request_serializer=req.SerializeToString,
                           response_deserializer=resp_type.FromString)
    return rpc(req, timeout=60)


meta = pb.PodSandboxMetadata(name='pod1', uid='uid-' + handler, namespace='default')
sbcfg = pb.PodSandboxConfig(metadata=meta, hostname='pod1', log_directory=outdir + '/logs')
sb = call('RunPodSandbox', pb.RunPodSandboxRequest(config=sbcfg, runtime_handler=handler),
          pb.RunPodSandboxResponse).pod_sandbox_id
print('RunPodSandbox', sb[:12])
ccfg = pb.ContainerConfig(metadata=pb.ContainerMetadata(name='c1'),
                          image=pb.ImageSpec(image='localhost/bb:test'),
                          command=['/bin/sh', '-c', 'echo started > /tmp/mark; exec sleep 1000'],
                          log_path='c1.log')
cid = call('CreateContainer', pb.CreateContainerRequest(pod_sandbox_id=sb, config=ccfg,
           sandbox_config=sbcfg), pb.CreateContainerResponse).container_id
print('CreateContainer', cid[:12])
call('StartContainer', pb.StartContainerRequest(container_id=cid), pb.StartContainerResponse)
print('StartContainer ok')
for _ in range(50):
    r = call('ExecSync', pb.ExecSyncRequest(container_id=cid, cmd=['/bin/sh', '-c',
             'cat /tmp/mark; hostname; echo err >&2; exit 3'], timeout=10), pb.ExecSyncResponse)
    if r.stdout:
        break
    time.sleep(0.1)
print('ExecSync exit=%d stdout=%r stderr=%r' % (r.exit_code, r.stdout, r.stderr))
call('StopPodSandbox', pb.StopPodSandboxRequest(pod_sandbox_id=sb), pb.StopPodSandboxResponse)
print('StopPodSandbox ok')
call('RemovePodSandbox', pb.RemovePodSandboxRequest(pod_sandbox_id=sb), pb.RemovePodSandboxResponse)
print('RemovePodSandbox ok')
