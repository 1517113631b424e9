// Local camera and microphone: device lists, constraints, and the "original sound" option that
// turns off the browser's voice processing (echo cancellation, noise suppression, gain control).

export async function listDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: devices.filter((d) => d.kind === 'videoinput'),
    microphones: devices.filter((d) => d.kind === 'audioinput'),
  };
}

export function constraints({ cameraId, microphoneId, originalSound }) {
  const audio = { deviceId: microphoneId ? { exact: microphoneId } : undefined };
  if (originalSound) {
    Object.assign(audio, { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  }
  const video = {
    deviceId: cameraId ? { exact: cameraId } : undefined,
    width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 30 },
  };
  return { audio, video };
}

// Camera and microphone if possible, then either alone, then nothing: a participant without
// devices still joins and receives the room (its offer then carries recvonly m-lines).
export async function openMedia(choice) {
  const c = constraints(choice);
  for (const attempt of [c, { audio: c.audio }, { video: c.video }]) {
    try {
      return await navigator.mediaDevices.getUserMedia(attempt);
    } catch (e) {
      console.warn('getUserMedia failed for', Object.keys(attempt).join('+'), e.name);
    }
  }
  return new MediaStream();
}
