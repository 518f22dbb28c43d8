//! The expansion when the input has errors: every `compile_error!`, and still
//! a `RotationPolicies` value (with empty policies) so that the caller's
//! `const` type-checks and no follow-on errors bury the real ones.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expand::track_env;
use crate::input::Input;

pub fn expand(input: &Input, error: syn::Error) -> TokenStream {
    let errors = error.into_compile_error();
    // Keep the dependency on `env!` variables: setting a missing one must
    // trigger a rebuild.
    let tracked = track_env(input);
    quote! {{
        #errors
        #tracked
        ::rotation_policy::RotationPolicies {
            resource_policy: "",
            execution_role_policy: "",
        }
    }}
}
