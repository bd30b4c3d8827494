"""A few GRPO steps with TRL on CPU, arbiter as the reward function (examples/trl/run runs it).

The policy is a tiny randomly initialised Llama with a character-level tokenizer, both built here:
nothing is downloaded from a model hub. The tasks are Saturn SAT rows from arbiter's Generate RPC
(the same rows as `arbiter gen sat --n=3 --k=4 --l=4 --count=16 --seed=1`); their `clause` column is
the label that arbiter's `sat` verifier checks a completion's last \\boxed{...} against.
Rewards: 1 = a satisfying assignment, 0 = a wrong \\boxed{} answer, -1 = no \\boxed{} at all.

    ARBITER_SERVER=127.0.0.1:50051 python train_sat_grpo.py --output_dir /tmp/grpo [--max_steps 4]
"""
import argparse
import warnings

from datasets import Dataset
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, set_seed
from trl import GRPOConfig, GRPOTrainer

from arbiter_client import Client
from arbiter_client.adapters.trl import make_reward_func

parser = argparse.ArgumentParser()
parser.add_argument("--output_dir", required=True)
parser.add_argument("--max_steps", type=int, default=4)
args = parser.parse_args()
warnings.filterwarnings("ignore", category=FutureWarning)  # TRL 1.16 vs transformers 5 renames

# 1. Tasks: 16 Saturn rows (prompt, clause, ...) from arbiter itself ($ARBITER_SERVER).
tasks = Client().generate("sat", {"n": 3, "k": 4, "l": 4, "count": 16, "seed": 1}).tasks
dataset = Dataset.from_list([{"prompt": t.sat.prompt, "clause": t.sat.clause} for t in tasks])

# 2. Tokenizer: one token per character of the prompts, plus "\boxed{" as a single token so that
#    even an untrained model sometimes writes a boxed answer and the rewards are not all -1.
specials = ["[PAD]", "[EOS]", "[UNK]"]
chars = sorted(set("".join(dataset["prompt"])))
backend = Tokenizer(models.WordLevel({t: i for i, t in enumerate(specials + chars)}, unk_token="[UNK]"))
backend.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")  # characters
backend.decoder = decoders.Fuse()                                                    # join, no spaces
backend.add_tokens([AddedToken("\\boxed{", normalized=False)])
tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, pad_token="[PAD]", eos_token="[EOS]",
                                    unk_token="[UNK]")

# 3. Policy: a 2-layer Llama, random weights (~0.1 M parameters), seeded.
set_seed(1)
model = LlamaForCausalLM(LlamaConfig(
    vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
    num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=2048,
    pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
    bos_token_id=tokenizer.eos_token_id))

# 4. Reward: arbiter's `sat` verifier, label from the `clause` column. TRL calls it once per batch
#    (one Score RPC) and logs it as rewards/arbiter_sat/{mean,std}; the adapter adds
#    arbiter/correct and arbiter/problems. (async_reward_func / make_async_reward_func work too.)
reward = make_reward_func("sat", "clause")

config = GRPOConfig(
    output_dir=args.output_dir, max_steps=args.max_steps, use_cpu=True, seed=1,
    per_device_train_batch_size=16, num_generations=8,  # 2 prompts x 8 completions per step
    max_completion_length=48, temperature=1.0, learning_rate=1e-3,
    logging_steps=1, report_to="none", save_strategy="no", disable_tqdm=True)
trainer = GRPOTrainer(model=model, reward_funcs=[reward], args=config, train_dataset=dataset,
                      processing_class=tokenizer)
trainer.train()

# 5. The per-step reward lines, from TRL's own log.
for entry in trainer.state.log_history:
    if "rewards/arbiter_sat/mean" in entry:
        print(f"step {entry['step']}: rewards/arbiter_sat/mean={entry['rewards/arbiter_sat/mean']:+.3f}"
              f" std={entry['rewards/arbiter_sat/std']:.3f}"
              f" arbiter/correct={entry.get('arbiter/correct', float('nan')):.3f}")
