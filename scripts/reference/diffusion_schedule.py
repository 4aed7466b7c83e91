# Reference numbers for NoiseScheduleTest / DenoisingStepTest: diffusers' beta schedules
# (linear, squaredcos_cap_v2) and one DDIM step, written out with torch in float64 the way
# diffusers' DDIMScheduler builds them. Run: /usr/bin/python3 scripts/reference/diffusion_schedule.py
import math
import torch

T = 1000
lin = torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
ac_lin = torch.cumprod(1 - lin, 0)

def alpha_bar(t):
    return math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2

cos_b = torch.tensor([min(1 - alpha_bar((i + 1) / T) / alpha_bar(i / T), 0.999) for i in range(T)], dtype=torch.float64)
ac_cos = torch.cumprod(1 - cos_b, 0)
for name, ac in (("linear", ac_lin), ("cosine", ac_cos)):
    print(name, " ".join("%d:%.12e" % (i, ac[i].item()) for i in (0, 1, 99, 500, 998, 999)))

# trailing timesteps; DDIM variance (diffusers _get_variance, set_alpha_to_one=False: the last step goes to alphas_cumprod[0])
def variance(ac, t, p):
    a_t, a_p = ac[t].item(), (ac[p].item() if p >= 0 else ac[0].item())
    return (1 - a_p) / (1 - a_t) * (1 - a_t / a_p)
import numpy as np
ts = (np.round(np.arange(T, 0, -T / 50)).astype(np.int64) - 1).tolist()
print("trailing50", ts[:3], ts[-2:])
ts400 = (np.round(np.arange(T, 0, -T / 400)).astype(np.int64) - 1).tolist()
print("trailing400", ts400[:4])
print("ddim_std_eta1 linear 999->979 %.12e" % math.sqrt(variance(ac_lin, 999, 979)))
print("ddim_std_eta1 linear 19->final %.12e" % math.sqrt(variance(ac_lin, 19, -1)))
